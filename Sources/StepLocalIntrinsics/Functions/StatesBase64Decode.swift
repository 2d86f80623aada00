import StepLocalJSON

/// `States.Base64Decode(base64)`: decodes Base64 to UTF-8 text; AWS limits the input to 10,000
/// characters.
enum StatesBase64Decode: IntrinsicFunctionDefinition {
    static let name = "States.Base64Decode"
    static let signature = IntrinsicSignature(required: [.string])
    static let maximumLength = 10_000

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let text = arguments[0].stringValue ?? ""
        guard text.count <= maximumLength else {
            throw .invalidArgument(function: name, "the input string exceeds the maximum length of \(maximumLength) characters")
        }
        guard let bytes = Base64.decode(text) else {
            throw .invalidArgument(function: name, "the input is not valid Base64")
        }
        return .string(String(decoding: bytes, as: UTF8.self))
    }
}
