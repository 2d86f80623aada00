public import HTTPTypes
public import Hummingbird
import NIOCore
import StepLocalJSON

/// Builds AWS JSON 1.0 responses: the body serialised by StepLocal's own JSON writer and the
/// `application/x-amz-json-1.0` content type every AWS SDK expects.
public enum AWSJSONResponse {
    public static let contentType = "application/x-amz-json-1.0"

    public static func make(status: HTTPResponse.Status = .ok, body: JSONValue) -> Response {
        let text = body.serialized()
        var buffer = ByteBuffer()
        buffer.writeString(text)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
