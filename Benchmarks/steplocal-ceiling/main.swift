// steplocal-ceiling: the benchmark ceiling for StepLocal's request path (`scripts/bench_server.sh`).
//
// The same Hummingbird server StepLocal runs (its HTTP/1.1 channel behind the same connection cap
// and timeouts) with none of StepLocal behind it: every POST is read in full and answered with one
// fixed AWS JSON body of `--response-bytes` bytes and the headers a real answer carries, so wrk
// measures what HTTP alone costs on this machine beside what a real StartSyncExecution costs.
// `GET /health` answers the same way, so the script's start-up probe works unchanged. It lives
// outside the product (it was the hidden `steplocal serve --bare`), as issue 16 asks.
//
//   swift build -c release --product steplocal-ceiling
//   .build/release/steplocal-ceiling --port 9000 --response-bytes 579

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import StepLocalServer

/// `{"output":"xxx…"}` padded to exactly `bytes` bytes (or the shortest such object when fewer are asked for).
func fixedBody(bytes: Int) -> ByteBuffer {
    let frame = #"{"output":""}"#
    var buffer = ByteBuffer()
    buffer.writeString(#"{"output":""#)
    buffer.writeRepeatingByte(UInt8(ascii: "x"), count: max(0, bytes - frame.utf8.count))
    buffer.writeString(#""}"#)
    return buffer
}

func option(_ name: String, default value: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}

guard let port = Int(option("--port", default: "9000")), let responseBytes = Int(option("--response-bytes", default: "512")) else {
    FileHandle.standardError.write(Data("usage: steplocal-ceiling [--host H] [--port N] [--response-bytes N]\n".utf8))
    exit(64)
}
let host = option("--host", default: "127.0.0.1")
let body = fixedBody(bytes: responseBytes)
@Sendable func answer() -> Response {
    var headers = HTTPFields()
    headers.reserveCapacity(4)  // as StepLocal's answers do
    headers[.contentType] = AWSJSONResponse.contentType
    headers[.contentLength] = String(body.readableBytes)
    headers[HTTPField.Name("x-amzn-RequestId")!] = "00000000-0000-4000-8000-000000000000"
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
}
let router = Router()
router.post("/") { request, _ in
    _ = try await request.body.collect(upTo: 2 * 1024 * 1024)
    return answer()
}
router.get("/health") { _, _ in answer() }
var logger = DeferredMetadataLogHandler.logger(label: "steplocal-ceiling")
logger.logLevel = .warning
let server = Application(
    router: router, server: .guardedHTTP1(ConnectionLimits()), configuration: .init(address: .hostname(host, port: port), serverName: "StepLocal"),
    logger: logger)
let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
