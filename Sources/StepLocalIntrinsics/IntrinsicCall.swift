/// A call `States.Name(arguments...)` with its function resolved and its arity checked at load.
struct IntrinsicCall: Sendable {
    let function: IntrinsicFunction
    let arguments: [IntrinsicArgument]
}
