import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import StepLocalJSON

/// The AWS JSON 1.0 protocol in one place: `POST /` with `X-Amz-Target:
/// AWSStepFunctions.<Action>`, a JSON body, and a JSON answer or an `{"__type", "message"}`
/// error. It reads the caller's region from the SigV4 credential scope (refusing one no AWS region
/// could have, as AWS does), refuses oversized
/// bodies before parsing, validates the body against the service model and hands it to the
/// action's handler.
struct AWSJSONProtocol: Sendable {
    let services: ServerServices

    func respond(to request: Request, context: some RequestContext) async throws -> Response {
        do {
            return try await handle(request)
        } catch let error as AWSServiceError {
            return AWSJSONResponse.make(status: error.status, body: error.body)
        }
    }

    private func handle(_ request: Request) async throws -> Response {
        let target = request.headers[HTTPField.Name("X-Amz-Target")!] ?? ""
        let prefix = ServiceModel.targetPrefix + "."
        guard target.hasPrefix(prefix) else { throw AWSServiceError.unknownOperation(target) }
        let action = String(target.dropFirst(prefix.count))
        guard let operation = ServiceModel.operations[action], let handler = ActionTable.handlers[action] else {
            throw AWSServiceError.unknownOperation(target)
        }

        let limit = services.configuration.maximumBodySize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw AWSServiceError.requestTooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw AWSServiceError.requestTooLarge(limit: limit)
        }

        let body: JSONObject
        if buffer.readableBytes == 0 {
            body = [:]
        } else {
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(bytes: buffer.readableBytesView)
            } catch {
                throw AWSServiceError.serialization("Malformed JSON request body: \(error.description)")
            }
            guard case .object(let object) = parsed else {
                throw AWSServiceError.serialization("Request body must be a JSON object")
            }
            body = object
        }
        try RequestValidator.validate(body, operation: operation)

        var region = services.configuration.region
        if let scope = request.headers[.authorization].flatMap(CredentialScope.init(authorization:)) {
            guard AWSIdentityRules.isValidRegion(scope.region) else { throw AWSServiceError.invalidSignatureRegion(scope.region) }
            region = scope.region
        }
        let actionRequest = ActionRequest(
            action: action, input: body, region: region, accountId: services.configuration.accountId, services: services)
        services.logger.debug("request", metadata: ["action": .string(action), "region": .string(region)])
        let result = try await handler.handle(actionRequest)
        return AWSJSONResponse.make(body: result)
    }
}
