public import HTTPTypes
public import Hummingbird
import NIOCore
import StepLocalJSON

/// Builds AWS JSON 1.0 responses: the body serialised by StepLocal's own JSON writer and the
/// `application/x-amz-json-1.0` content type every AWS SDK expects.
public enum AWSJSONResponse {
    public static let contentType = "application/x-amz-json-1.0"

    public static func make(status: HTTPResponse.Status = .ok, body: JSONValue) -> Response {
        // Written into bytes sized for a typical answer and copied once into the buffer: going
        // through a String took one more allocation and copy, and growing from 64 bytes four more.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        JSONSerializer().append(body, to: &bytes)
        let buffer = ByteBuffer(bytes: bytes)
        // Room for these two and the request id the middleware adds: growing from none
        // reallocated the fields three times per answer.
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.contentType] = contentType
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}
