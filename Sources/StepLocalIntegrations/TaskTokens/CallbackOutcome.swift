/// What became of a SendTaskSuccess/Failure/Heartbeat, in AWS's terms: the server turns the
/// last three into the `InvalidToken`, `TaskDoesNotExist` and `TaskTimedOut` API errors.
public enum CallbackOutcome: Sendable, Equatable {
    case accepted
    /// The text cannot be a task token StepLocal issued.
    case invalidToken
    /// A well-formed token nobody issued (or one forgotten long ago).
    case taskDoesNotExist
    /// The task behind the token already closed: answered, failed, timed out or stopped.
    case taskTimedOut
}
