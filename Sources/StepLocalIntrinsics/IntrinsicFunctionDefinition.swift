import StepLocalJSON

/// What each `States.*` function provides: its name, its signature (checked centrally before
/// `evaluate` runs) and its logic over already-checked argument values.
protocol IntrinsicFunctionDefinition {
    static var name: String { get }
    static var signature: IntrinsicSignature { get }
    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue
}

extension IntrinsicFunctionDefinition {
    /// An integer argument that the signature has already checked.
    static func int(_ value: JSONValue) -> Int {
        value.numberValue?.intValue ?? 0
    }
}
