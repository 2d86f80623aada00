import StepLocalJSON

/// AWS reads definitions with Jackson, so a definition that is not JSON is answered with Jackson's
/// message and location (`Unrecognized token 'not': was expecting (...)` at `[Source: (String)"...";
/// line: 1, column: 4]`). This rebuilds that text from where our parser stopped.
struct JacksonParseMessage {
    let message: String
    let location: String

    /// Jackson quotes at most this many characters of the source, then `[truncated N chars]`.
    static let quotedSourceLimit = 500

    init(text: String, error: JSONParseError) {
        let bytes = Array(text.utf8)
        var start = min(max(0, error.offset), bytes.count)
        // The token Jackson names starts at the first letter of a bare word.
        if start < bytes.count, Self.isWordByte(bytes[start]) {
            while start > 0, Self.isWordByte(bytes[start - 1]) { start -= 1 }
        }
        var end = start
        while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
        let source = Self.quotedSource(text)
        let position = Self.lineAndColumn(bytes, upTo: end)
        location = "[Source: (String)\"\(source)\"; line: \(position.line), column: \(position.column)]"
        if end > start {
            let token = String(decoding: bytes[start..<end], as: UTF8.self)
            message = "Unrecognized token '\(token)': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at \(location)"
        } else if start >= bytes.count {
            message = "Unexpected end-of-input: \(error.message)\n at \(location)"
        } else {
            let scalar = Character(Unicode.Scalar(bytes[start]))
            message = "Unexpected character ('\(scalar)' (code \(bytes[start]))): \(error.message)\n at \(location)"
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
            return true
        default:
            return byte >= 0x80
        }
    }

    private static func quotedSource(_ text: String) -> String {
        guard text.count > quotedSourceLimit else { return text }
        return String(text.prefix(quotedSourceLimit)) + "\"[truncated \(text.count - quotedSourceLimit) chars]"
    }

    /// Jackson's 1-based line and the column just past the offending token.
    private static func lineAndColumn(_ bytes: [UInt8], upTo offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
