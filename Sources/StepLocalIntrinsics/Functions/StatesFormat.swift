import StepLocalJSON

/// `States.Format(template, values...)`: replaces each `{}` with the next value (strings as they
/// are, other values as Java prints them). The placeholder count must equal the value count.
enum StatesFormat: IntrinsicFunctionDefinition {
    static let name = "States.Format"
    static let signature = IntrinsicSignature(required: [.string], variadic: .any)

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let template = arguments[0].stringValue ?? ""
        return try format(pieces: template.components(separatedBy: "{}"), values: Array(arguments.dropFirst()))
    }

    /// Formats with pieces already split at unescaped placeholders (a literal template).
    static func format(pieces: [String], values: [JSONValue]) throws(IntrinsicError) -> JSONValue {
        guard pieces.count - 1 == values.count else {
            throw .invalidArgument(
                function: name,
                "the number of arguments (\(values.count)) does not match the number of placeholders (\(pieces.count - 1))")
        }
        var text = pieces[0]
        for (value, piece) in zip(values, pieces.dropFirst()) {
            text += JavaText.render(value)
            text += piece
        }
        return .string(text)
    }
}
