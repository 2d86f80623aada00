import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import StepLocalServer
import StepLocalIntrinsics

@Suite("x-amzn-RequestId")
struct RequestIdTests {
    static let requestId = HTTPField.Name("x-amzn-RequestId")!

    /// Sends one request and returns the answer's status and request id.
    static func requestIds(_ requests: [(HTTPRequest.Method, String, String?, String)]) async throws -> [(HTTPResponse.Status, String?)] {
        let app = try buildApplication(configuration: Fixtures.configuration())
        return try await app.test(.router) { client in
            var answers: [(HTTPResponse.Status, String?)] = []
            for (method, uri, target, body) in requests {
                var headers: HTTPFields = [.contentType: "application/x-amz-json-1.0"]
                if let target { headers[HTTPField.Name("X-Amz-Target")!] = target }
                let answer = try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body)) {
                    ($0.status, $0.headers[requestId])
                }
                answers.append(answer)
            }
            return answers
        }
    }

    static func isLowercaseUUIDv4(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        guard text.allSatisfy({ $0 == "-" || ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else { return false }
        return parts[2].first == "4" && "89ab".contains(parts[3].first!)
    }

    @Test("Successes, AWS errors and unrouted requests all carry a fresh UUID request id, as AWS's answers do")
    func everyAnswerHasAFreshRequestId() async throws {
        let answers = try await Self.requestIds([
            (.post, "/", "AWSStepFunctions.ListStateMachines", "{}"),
            (.post, "/", "AWSStepFunctions.ListStateMachines", "{}"),
            (.post, "/", "AWSStepFunctions.MakeCoffee", "{}"),
            (.post, "/", "AWSStepFunctions.ListStateMachines", "{not json"),
            (.get, "/health", nil, ""),
            (.get, "/no/such/route", nil, ""),
        ])
        #expect(answers.map(\.0) == [.ok, .ok, .badRequest, .badRequest, .ok, .notFound])
        let ids = answers.compactMap(\.1)
        #expect(ids.count == answers.count, "an answer without x-amzn-RequestId: \(answers)")
        #expect(ids.allSatisfy(Self.isLowercaseUUIDv4), "\(ids)")
        #expect(Set(ids).count == ids.count, "request ids repeat: \(ids)")
    }

    /// A generator that replays fixed words, so the UUID layout can be checked bit for bit.
    struct Replay: RandomNumberGenerator {
        var words: [UInt64]
        mutating func next() -> UInt64 { words.removeFirst() }
    }

    @Test("UUIDs set the version-4 and RFC 4122 variant bits and keep every other random bit, most significant first")
    func uuidLayout() {
        var zeros = Replay(words: [0, 0])
        #expect(Identifiers.uuid(using: &zeros) == "00000000-0000-4000-8000-000000000000")
        var ones = Replay(words: [.max, .max])
        #expect(Identifiers.uuid(using: &ones) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        var counting = Replay(words: [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210])
        #expect(Identifiers.uuid(using: &counting) == "01234567-89ab-4def-bedc-ba9876543210")
    }
}

@Suite("Identifier source")
struct IdentifierSourceTests {
    @Test("Two pools created the same way draw different words: no seed, nothing a client could replay")
    func poolsDoNotRepeatEachOther() {
        var first = KernelRandomPool()
        var second = KernelRandomPool()
        let a = (0..<600).map { _ in first.next() }
        let b = (0..<600).map { _ in second.next() }
        #expect(a != b)
        #expect(Set(a).isDisjoint(with: b), "a 64-bit kernel word repeated across pools")
        #expect(Set(a).count == a.count, "a 64-bit kernel word repeated within a pool (past its 256-word batch too)")
    }

    @Test("Ten thousand UUIDs minted in a row are all distinct and well formed")
    func distinct() {
        let ids = (0..<10_000).map { _ in Identifiers.uuid() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy(RequestIdTests.isLowercaseUUIDv4))
    }

    @Test("Every random hex digit of the UUIDs varies across 1,000 ids")
    func noStuckBits() {
        let ids = (0..<1_000).map { _ in Array(Identifiers.uuid().filter { $0 != "-" }) }
        for position in 0..<32 where position != 12 && position != 16 {  // the version and variant digits
            let digits = Set(ids.map { $0[position] })
            #expect(digits.count > 4, "hex digit \(position) takes only \(digits)")
        }
    }
}
