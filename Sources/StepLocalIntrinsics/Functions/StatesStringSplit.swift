import StepLocalJSON

/// `States.StringSplit(text, delimiters)`: splits at any of the delimiter characters and drops
/// empty pieces, like Java's `StringTokenizer` (AWS conformance test_string_split: `",,,,"` gives
/// `[]`, delimiter `"T\n"` splits at `T` or newline).
enum StatesStringSplit: IntrinsicFunctionDefinition {
    static let name = "States.StringSplit"
    static let signature = IntrinsicSignature(required: [.string, .string])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let text = arguments[0].stringValue ?? ""
        let delimiters = Set((arguments[1].stringValue ?? "").unicodeScalars)
        var pieces: [JSONValue] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if delimiters.contains(scalar) {
                if !current.isEmpty { pieces.append(.string(String(current))) }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { pieces.append(.string(String(current))) }
        return .array(pieces)
    }
}
