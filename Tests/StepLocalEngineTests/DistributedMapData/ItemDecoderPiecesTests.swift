import StepLocalASL
import StepLocalJSON
import Testing

@testable import StepLocalEngine

/// An ItemReader decodes an object as its pieces come (a file a mebibyte at a time): wherever
/// the pieces are cut, even inside a quoted CSV field, a JSON string or between CR and LF, the
/// items are the same as from the object read whole, and so are the failures.
@Suite("ItemReader decoding in pieces")
struct ItemDecoderPiecesTests {
    /// What a decoder made of a text: its items, or its failure's cause.
    enum Outcome: Equatable {
        case success([JSONValue])
        case failure(String)

        func get() throws -> [JSONValue] {
            guard case .success(let items) = self else { throw DecodingFailed(outcome: self) }
            return items
        }
    }

    struct DecodingFailed: Error {
        let outcome: Outcome
    }

    /// The items (or the failure's cause) of `text` fed to a fresh decoder in pieces of `size` bytes.
    static func decode(_ text: String, pieces size: Int, limit: Int? = nil, make: (Int?) -> any ItemDecoder) async -> Outcome {
        let bytes = Array(text.utf8)
        let pieces = stride(from: 0, to: max(bytes.count, 1), by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        var items: [JSONValue] = []
        var decoder = make(limit)
        do {
            _ = try await ItemDecoding.decode(Pieces(pieces), with: &decoder, into: { items.append($0) })
            return .success(items)
        } catch let error as StatesError {
            return .failure(error.cause ?? error.error)
        } catch {
            return .failure("\(error)")
        }
    }

    /// Every piece size from 1 to the text's length gives what the whole text gives.
    static func expectSameAtEveryCut(_ text: String, limit: Int? = nil, make: (Int?) -> any ItemDecoder) async -> Outcome {
        let whole = await decode(text, pieces: max(text.utf8.count, 1), limit: limit, make: make)
        for size in 1...max(text.utf8.count, 1) {
            let cut = await decode(text, pieces: size, limit: limit, make: make)
            #expect(cut == whole, "pieces of \(size) bytes")
        }
        return whole
    }

    static func csv(_ location: ItemReaderSpec.CSVHeaderLocation = .firstRow, headers: [String]? = nil) -> (Int?) -> any ItemDecoder {
        { CSVDecoder(headerLocation: location, givenHeaders: headers, delimiter: ",", limit: $0, source: "s3://b/k") }
    }

    static func json(_ limit: Int?) -> any ItemDecoder { JSONArrayDecoder(limit: limit, source: "s3://b/k") }
    static func lines(_ limit: Int?) -> any ItemDecoder { JSONLinesDecoder(limit: limit, source: "s3://b/k") }

    @Test("CSV: quoted fields holding delimiters, quotes and line breaks, CRLF rows, a byte order mark, blank lines")
    func csvAtEveryCut() async throws {
        let text = "\u{FEFF}name,note\r\n\"a, b\",\"say \"\"hi\"\"\"\r\n\r\nc,\"two\nlines\"\nd\n"
        let items = try await Self.expectSameAtEveryCut(text, make: Self.csv()).get()
        // Members in AWS's (Java HashMap) order.
        #expect(items == [
            ["note": #"say "hi""#, "name": "a, b"], ["note": "two\nlines", "name": "c"], ["note": "", "name": "d"],
        ])
    }

    @Test("CSV: GIVEN headers, MaxItems, and a last row without a line break")
    func csvGivenHeaders() async throws {
        let items = try await Self.expectSameAtEveryCut("1,2\n3,4\n5,6", limit: 2, make: Self.csv(.given, headers: ["x", "y"])).get()
        #expect(items == [["x": "1", "y": "2"], ["x": "3", "y": "4"]])
        let all = try await Self.expectSameAtEveryCut("1,2\n3,4\n5,6", make: Self.csv(.given, headers: ["x", "y"])).get()
        #expect(all.count == 3)
    }

    @Test("CSV: duplicate headers fail the same at every cut")
    func csvDuplicateHeaders() async {
        let result = await Self.expectSameAtEveryCut("a,a\n1,2\n", make: Self.csv())
        #expect(result == .failure("CSV headers cannot contain duplicates."))
    }

    @Test("CSV: a header row past 10 KiB fails before the rest of the file is read")
    func csvHeaderTooLong() async {
        let header = String(repeating: "h", count: 20_000)
        let result = await Self.decode(header + "\n1\n", pieces: 4_096, make: Self.csv())
        #expect(result == .failure("The CSV header row of s3://b/k is larger than 10 KiB, the most Step Functions reads."))
    }

    @Test("JSON: strings holding brackets, commas and escaped quotes; nested arrays and objects; spacing")
    func jsonAtEveryCut() async throws {
        let text = #" [ {"a":"],[{\"","b":[1,{"c":"}"}]} , "x\\" ,3.50, [[]], null ,true] "#
        let items = try await Self.expectSameAtEveryCut(text, make: Self.json).get()
        #expect(items == (try JSONParser.parse(text)).arrayValue)
        #expect(items.count == 6)
    }

    @Test("JSON: an empty array, MaxItems, and what is not an array")
    func jsonEdges() async {
        #expect(await Self.expectSameAtEveryCut("[]", make: Self.json) == .success([]))
        #expect(await Self.expectSameAtEveryCut("[1,2,3]", limit: 2, make: Self.json) == .success([1, 2]))
        #expect(await Self.expectSameAtEveryCut(#"{"Hello":"world"}"#, make: Self.json) == .failure("Attempting to map over non-iterable node."))
    }

    @Test("JSON: a broken array fails at every cut, whatever is broken")
    func jsonBroken() async {
        for text in ["[1,,2]", "[1,2", "[1,2,]", "[1] 2", "[1,{]", "[tru]", ""] {
            let result = await Self.expectSameAtEveryCut(text, make: Self.json)
            guard case .failure(let cause) = result else {
                Issue.record("\(text) was read as \(result)")
                continue
            }
            #expect(cause.hasPrefix("The object s3://b/k is not valid JSON: "), "\(text): \(cause)")
        }
    }

    @Test("JSON Lines: CRLF, blank lines, MaxItems, and the number of a bad line")
    func jsonLines() async {
        #expect(await Self.expectSameAtEveryCut("{\"a\":1}\r\n\n  \n[2]\n3", make: Self.lines) == .success([["a": 1], [2], 3]))
        #expect(await Self.expectSameAtEveryCut("1\n2\n3\n", limit: 2, make: Self.lines) == .success([1, 2]))
        let bad = await Self.expectSameAtEveryCut("1\n\n{oops}\n4", make: Self.lines)
        guard case .failure(let cause) = bad else {
            Issue.record("read as \(bad)")
            return
        }
        #expect(cause.hasPrefix("Line 3 of s3://b/k is not valid JSON"))
    }
}

/// An object handed out in the given pieces.
private final class Pieces: ObjectPieces, @unchecked Sendable {
    private var remaining: [[UInt8]]

    init(_ pieces: [[UInt8]]) {
        remaining = pieces
    }

    func next() async throws(ObjectStoreError) -> [UInt8]? {
        remaining.isEmpty ? nil : remaining.removeFirst()
    }
}
