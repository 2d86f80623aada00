import StepLocalJSON

/// `States.StringToJson(text)`: parses JSON text; blank text gives `null` (AWS conformance:
/// test_string_to_json with `" "`).
enum StatesStringToJson: IntrinsicFunctionDefinition {
    static let name = "States.StringToJson"
    static let signature = IntrinsicSignature(required: [.string])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let text = arguments[0].stringValue ?? ""
        if text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) { return .null }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw .invalidArgument(function: name, "the string is not valid JSON: \(error.message)")
        }
    }
}
