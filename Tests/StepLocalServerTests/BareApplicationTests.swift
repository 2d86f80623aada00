import NIOCore
import Testing

@testable import StepLocalServer

/// The benchmark ceiling's body must have exactly the size it is asked for, or the comparison
/// with a real StartSyncExecution answer would not be like for like.
@Suite("serve --bare")
struct BareApplicationTests {
    @Test("The fixed body is a JSON object of exactly the requested size", arguments: [13, 14, 100, 517])
    func exactSize(bytes: Int) {
        let body = bareResponseBody(bytes: bytes)
        #expect(body.readableBytes == bytes)
        #expect(String(buffer: body).hasPrefix(#"{"output":""#))
        #expect(String(buffer: body).hasSuffix(#""}"#))
    }

    @Test("Fewer bytes than the smallest such object give the smallest object")
    func tooSmall() {
        #expect(String(buffer: bareResponseBody(bytes: 0)) == #"{"output":""}"#)
    }
}
