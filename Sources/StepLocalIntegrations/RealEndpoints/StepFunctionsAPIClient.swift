public import Foundation
public import StepLocalJSON

/// Calls the Step Functions API of any endpoint (AWS itself, StepLocal, another emulator) over
/// the AWS JSON 1.0 protocol, each request signed with SigV4 for the `states` service. It exists
/// so `steplocal record --endpoint` reads a finished execution where it ran, as the AWS CLI would.
public struct StepFunctionsAPIClient: Sendable {
    public var endpoint: EndpointConfiguration.Endpoint
    public var credentials: SigV4Signer.Credentials
    public var region: String
    public var transport: any EndpointTransport
    /// How long one request may take.
    public var timeout: Duration = .seconds(30)
    var now: @Sendable () -> Date

    public init(
        endpoint: EndpointConfiguration.Endpoint, credentials: SigV4Signer.Credentials, region: String,
        transport: any EndpointTransport = AsyncHTTPClientTransport(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.region = region
        self.transport = transport
        self.now = now
    }

    /// One action (`DescribeExecution`, ...) with its request members; its answer, or the
    /// service's error (`__type` and `message`) as ``StepFunctionsAPIError``.
    public func call(_ action: String, _ members: JSONObject) async throws(StepFunctionsAPIError) -> JSONValue {
        let body = Array(JSONValue.object(members).serialized().utf8)
        let path = endpoint.basePath.isEmpty ? "/" : endpoint.basePath + "/"
        let signed = SigV4Signer(credentials: credentials, region: region, service: "states").sign(
            method: "POST", path: path,
            headers: [
                ("Host", endpoint.hostHeader), ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AWSStepFunctions.\(action)"),
            ],
            body: body, date: now())
        let request = PreparedHTTPRequest(url: "\(endpoint.scheme)://\(endpoint.hostHeader)\(path)", method: "POST", headers: signed.headers, body: body)
        let response: ServiceHTTPResponse
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch EndpointTransportError.timedOut {
            throw StepFunctionsAPIError(action: action, status: nil, type: "Timeout", message: "no answer from \(endpoint.url) within \(timeout)")
        } catch {
            throw StepFunctionsAPIError(action: action, status: nil, type: "ConnectionFailed", message: "\(endpoint.url): \(error)")
        }
        let answer = try? JSONValue(parsing: response.bodyText)
        guard (200..<300).contains(response.status) else {
            // `__type` may carry a namespace (`com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist`).
            let type = (answer?["__type"]?.stringValue ?? response.header("x-amzn-ErrorType") ?? "HTTP \(response.status)")
                .split(separator: "#").last.map(String.init) ?? ""
            let message = answer?["message"]?.stringValue ?? answer?["Message"]?.stringValue ?? String(response.bodyText.prefix(300))
            throw StepFunctionsAPIError(action: action, status: response.status, type: type, message: message)
        }
        guard let answer else {
            throw StepFunctionsAPIError(action: action, status: response.status, type: "InvalidResponse", message: "the answer is not JSON")
        }
        return answer
    }

    /// Every event of an execution's history, oldest first, following `nextToken` page by page
    /// (GetExecutionHistory answers at most 1,000 events at a time).
    public func executionHistory(_ executionArn: String, pageSize: Int = 1000) async throws(StepFunctionsAPIError) -> [JSONValue] {
        var events: [JSONValue] = []
        var token: String?
        repeat {
            var members: JSONObject = ["executionArn": .string(executionArn), "maxResults": .int(pageSize)]
            if let token { members["nextToken"] = .string(token) }
            let page = try await call("GetExecutionHistory", members)
            events += page["events"]?.arrayValue ?? []
            token = page["nextToken"]?.stringValue
        } while token != nil
        return events
    }
}

/// A Step Functions API call that failed: the service's error name and message, or why no
/// answer came.
public struct StepFunctionsAPIError: Error, CustomStringConvertible, Sendable {
    public var action: String
    /// The HTTP status, or nil when no answer came.
    public var status: Int?
    public var type: String
    public var message: String

    public var description: String { "\(action): \(type): \(message)" }
}
