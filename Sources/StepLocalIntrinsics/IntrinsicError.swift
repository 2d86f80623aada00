import StepLocalJSON
import StepLocalJSONPath

/// A failed intrinsic call, carrying the AWS error name and cause a state fails with.
///
/// Parse errors (thrown by ``IntrinsicExpression/init(_:)``) use `error` `"States.Parse"` and a
/// cause that the definition loader wraps into its InvalidDefinition diagnostic. Runtime errors use
/// AWS's names: `States.Runtime` for an argument path that matches nothing, and
/// `States.IntrinsicFailure` for invalid arguments. Every AWS wording lives in one constructor here.
public struct IntrinsicError: Error, Sendable, Hashable, CustomStringConvertible {
    public let error: String
    public let cause: String

    public init(error: String, cause: String) {
        self.error = error
        self.cause = cause
    }

    public var description: String { "\(error): \(cause)" }

    // MARK: Definition time

    static func syntax(_ message: String, in text: String, at offset: Int) -> IntrinsicError {
        IntrinsicError(error: "States.Parse", cause: "Invalid intrinsic function call '\(text)': \(message) (at character \(offset))")
    }

    // MARK: Run time

    /// AWS (captured on us-east-1): "The JsonPath argument for the field '$.nope' could not be found in the input '{"other":1}'".
    /// `$$` paths are reported rewritten to `$` and against the state input, as AWS does.
    static func argumentNotFound(path: String, input: String) -> IntrinsicError {
        IntrinsicError(
            error: "States.Runtime",
            cause: "The JsonPath argument for the field '\(path)' could not be found in the input '\(input)'")
    }

    /// A path argument whose filter's `=~` ran past its bound and was stopped.
    static func pathStopped(_ error: JSONPathError) -> IntrinsicError {
        IntrinsicError(error: "States.Runtime", cause: error.description)
    }

    static func failure(_ message: String) -> IntrinsicError {
        IntrinsicError(error: "States.IntrinsicFailure", cause: message)
    }

    static func argumentType(function: String, position: Int, expected: String, actual: JSONValue) -> IntrinsicError {
        failure("Invalid arguments in \(function): argument \(position) must be \(expected), but was \(actual.typeName)")
    }

    static func invalidArgument(function: String, _ message: String) -> IntrinsicError {
        failure("Invalid arguments in \(function): \(message)")
    }

    /// The whole expression is named, not the inner call whose argument failed (AWS, captured):
    /// "The function 'States.Format('{}', $.nope)' had the following error: ...".
    func wrapped(in expression: String) -> IntrinsicError {
        IntrinsicError(error: error, cause: "The function '\(expression)' had the following error: \(cause)")
    }
}
