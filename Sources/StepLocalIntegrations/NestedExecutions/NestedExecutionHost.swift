public import StepLocalEngine
public import StepLocalJSON

/// Where `arn:aws:states:::states:startExecution` tasks start their child executions: the
/// server resolves the state machine ARN in its store and runs the child in the same engine,
/// so the child can be described, listed and stopped like any other execution. It exists
/// because the integrations layer cannot see the server's store.
public protocol NestedExecutionHost: Sendable {
    /// Starts `stateMachineArn` (possibly version- or alias-qualified) with `input`.
    /// `name` nil means a generated one. Throws AWS's StartExecution error when the start is refused.
    func startChildExecution(stateMachineArn: String, name: String?, input: JSONValue, parent: TaskRequest) async throws(NestedStartError)
        -> Execution
}

/// A refused StartExecution, as the API would have answered it: `code` is the API error name
/// (`StateMachineDoesNotExist`), `message` its message. The task fails with
/// `StepFunctions.<code>Exception`, as AWS's integration reports it.
public struct NestedStartError: Error, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
