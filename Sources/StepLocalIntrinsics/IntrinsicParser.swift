import StepLocalJSON
import StepLocalJSONPath

/// Reads the call syntax once at definition load: `States.Name(arg, ...)` with nested calls,
/// single-quoted strings (escapes `\'`, `\{`, `\}`, `\\` only, as AWS accepts), numbers,
/// `null`/`true`/`false` and JSONPath arguments (`$.a`, `$$.Execution.Id`, `$var`).
struct IntrinsicParser {
    /// AWS: "You can nest up to 10 intrinsic functions within a field".
    static let maximumNesting = 10

    private let text: String
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        self.text = text
        scalars = Array(text.unicodeScalars)
    }

    static func parse(_ text: String) throws(IntrinsicError) -> IntrinsicCall {
        var parser = IntrinsicParser(text)
        parser.skipWhitespace()
        let call = try parser.call(depth: 1)
        parser.skipWhitespace()
        guard parser.position == parser.scalars.count else { throw parser.fail("Unexpected text after the call") }
        return call
    }

    private func fail(_ message: String) -> IntrinsicError {
        .syntax(message, in: text, at: position)
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
    }

    private mutating func expect(_ c: Unicode.Scalar) throws(IntrinsicError) {
        skipWhitespace()
        guard current == c else { throw fail("Expected '\(c)'") }
        position += 1
    }

    private mutating func call(depth: Int) throws(IntrinsicError) -> IntrinsicCall {
        guard depth <= Self.maximumNesting else { throw fail("Intrinsic functions can be nested at most \(Self.maximumNesting) deep") }
        let start = position
        var name = ""
        while let c = current, c == "." || c.properties.isAlphabetic || ("0"..."9").contains(c) {
            name.unicodeScalars.append(c)
            position += 1
        }
        guard let function = IntrinsicFunction(rawValue: name) else {
            position = start
            throw fail("Unknown intrinsic function '\(name)'")
        }
        try expect("(")
        var arguments: [IntrinsicArgument] = []
        skipWhitespace()
        if current == ")" {
            position += 1
        } else {
            while true {
                arguments.append(try argument(depth: depth))
                skipWhitespace()
                if current == "," { position += 1; continue }
                if current == ")" { position += 1; break }
                throw fail("Expected ',' or ')'")
            }
        }
        if let message = function.definition.signature.arityError(function: function.rawValue, count: arguments.count) {
            position = start
            throw fail(message)
        }
        return IntrinsicCall(function: function, arguments: arguments)
    }

    private mutating func argument(depth: Int) throws(IntrinsicError) -> IntrinsicArgument {
        skipWhitespace()
        guard let c = current else { throw fail("Expected an argument") }
        switch c {
        case "'": return .string(try stringLiteral())
        case "$": return .path(try path())
        case "-", "0"..."9": return .literal(.number(try number()))
        default:
            if word("States.") { return .call(try call(depth: depth + 1)) }
            if word("null") { return .literal(.null) }
            if word("true") { return .literal(.bool(true)) }
            if word("false") { return .literal(.bool(false)) }
            throw fail("Unexpected character '\(c)'")
        }
    }

    /// Whether `w` follows; consumes it unless it begins a call name (`States.`).
    private mutating func word(_ w: String) -> Bool {
        let ws = Array(w.unicodeScalars)
        guard position + ws.count <= scalars.count, Array(scalars[position..<position + ws.count]) == ws else { return false }
        if w == "States." { return true }
        if position + ws.count < scalars.count, scalars[position + ws.count].properties.isAlphabetic { return false }
        position += ws.count
        return true
    }

    private mutating func stringLiteral() throws(IntrinsicError) -> IntrinsicStringLiteral {
        position += 1
        var value = ""
        var pieces: [String] = []
        var piece = ""
        while let c = current {
            position += 1
            switch c {
            case "'":
                pieces.append(piece)
                return IntrinsicStringLiteral(value: value, pieces: pieces)
            case "\\":
                guard let escaped = current, escaped == "'" || escaped == "{" || escaped == "}" || escaped == "\\" else {
                    throw fail("Invalid escape sequence in string literal (only \\', \\{, \\} and \\\\ are allowed)")
                }
                position += 1
                value.unicodeScalars.append(escaped)
                piece.unicodeScalars.append(escaped)
            case "{" where current == "}":
                position += 1
                value += "{}"
                pieces.append(piece)
                piece = ""
            default:
                value.unicodeScalars.append(c)
                piece.unicodeScalars.append(c)
            }
        }
        throw fail("Unterminated string literal")
    }

    private mutating func number() throws(IntrinsicError) -> JSONNumber {
        let start = position
        var literal = ""
        while let c = current, c == "-" || c == "+" || c == "." || c == "e" || c == "E" || ("0"..."9").contains(c) {
            literal.unicodeScalars.append(c)
            position += 1
        }
        do {
            guard case .number(let n) = try JSONValue(parsing: literal) else { throw fail("Invalid number") }
            return n
        } catch {
            position = start
            throw fail("Invalid number '\(literal)'")
        }
    }

    /// A path runs to the next `,` or `)` outside brackets, parentheses and quotes.
    private mutating func path() throws(IntrinsicError) -> JSONPath {
        let start = position
        var depth = 0
        var quote: Unicode.Scalar?
        var pathText = ""
        while let c = current {
            if let q = quote {
                if c == "\\", position + 1 < scalars.count {
                    pathText.unicodeScalars.append(c)
                    position += 1
                    pathText.unicodeScalars.append(scalars[position])
                    position += 1
                    continue
                }
                if c == q { quote = nil }
            } else {
                switch c {
                case "'", "\"": quote = c
                case "[", "(": depth += 1
                case "]": depth -= 1
                case ")":
                    if depth == 0 { break }
                    depth -= 1
                case ",": if depth == 0 { break }
                default: break
                }
                if depth == 0, c == "," || c == ")" { break }
            }
            pathText.unicodeScalars.append(c)
            position += 1
        }
        while let last = pathText.unicodeScalars.last, last == " " || last == "\t" { pathText.unicodeScalars.removeLast() }
        do {
            return try JSONPath(pathText)
        } catch {
            position = start
            throw fail("Invalid path '\(pathText)': \(error.message)")
        }
    }
}
