import StepLocalJSON

/// `States.Base64Encode(text)`: the UTF-8 bytes of the text in standard, padded Base64; AWS limits
/// the input to 10,000 characters.
enum StatesBase64Encode: IntrinsicFunctionDefinition {
    static let name = "States.Base64Encode"
    static let signature = IntrinsicSignature(required: [.string])
    static let maximumLength = 10_000

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let text = arguments[0].stringValue ?? ""
        guard text.count <= maximumLength else {
            throw .invalidArgument(function: name, "the input string exceeds the maximum length of \(maximumLength) characters")
        }
        return .string(Base64.encode(Array(text.utf8)))
    }
}
