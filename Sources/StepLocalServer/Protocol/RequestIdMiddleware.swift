import HTTPTypes
import Hummingbird
import StepLocalIntrinsics

/// Stamps every answer with a fresh `x-amzn-RequestId`, as AWS does on successes and errors
/// alike: SDKs surface it (boto3's `ResponseMetadata.RequestId`) and users quote it in logs.
/// It sits in front of the router so no answer escapes without one: an ``AWSServiceError`` or
/// any other `HTTPResponseError` is rendered here, and an unexpected error becomes AWS's
/// `InternalFailure` rather than a bare 500.
struct RequestIdMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headerName: HTTPField.Name { requestIdHeaderName }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            response = AWSJSONResponse.make(status: .internalServerError, body: AWSServiceError.internalFailure("\(error)").body)
        }
        response.headers[Self.headerName] = Identifiers.uuid()
        return response
    }
}

/// Made once: building a name checks and lowercases its text (an allocation per answer).
private let requestIdHeaderName = HTTPField.Name("x-amzn-RequestId")!
