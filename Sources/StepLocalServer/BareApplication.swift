public import Logging
public import ServiceLifecycle
import HTTPTypes
import Hummingbird
import NIOCore

/// The benchmark ceiling (`steplocal serve --bare`, hidden): the same Hummingbird server with
/// none of StepLocal behind it. Every POST is read in full and answered with one fixed AWS JSON
/// body of `responseBytes` bytes, with the headers a real answer carries, so wrk can measure
/// what HTTP alone costs on this machine beside what a real StartSyncExecution costs
/// (`scripts/bench_server.sh` runs both in one go). `GET /health` answers the same way, so the
/// start-up probe works unchanged.
public func buildBareServerService(host: String, port: Int, responseBytes: Int, logger: Logger) -> any Service {
    let body = bareResponseBody(bytes: responseBytes)
    let requestId = "00000000-0000-4000-8000-000000000000"
    @Sendable func answer() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = AWSJSONResponse.contentType
        headers[.contentLength] = String(body.readableBytes)
        headers[RequestIdMiddleware<BasicRequestContext>.headerName] = requestId
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
    let router = Router()
    router.post("/") { request, _ in
        _ = try await request.body.collect(upTo: 2 * 1024 * 1024)
        return answer()
    }
    router.get("/health") { _, _ in answer() }
    return Application(router: router, server: .guardedHTTP1(ConnectionLimits()), configuration: .init(address: .hostname(host, port: port), serverName: "StepLocal"), logger: logger)
}

/// `{"output":"xxx…"}` padded to exactly `bytes` bytes (or the shortest such object when fewer are asked for).
func bareResponseBody(bytes: Int) -> ByteBuffer {
    let frame = #"{"output":""}"#
    var buffer = ByteBuffer()
    buffer.writeString(#"{"output":""#)
    buffer.writeRepeatingByte(UInt8(ascii: "x"), count: max(0, bytes - frame.utf8.count))
    buffer.writeString(#""}"#)
    return buffer
}
