public import StepLocalASL
public import StepLocalJSON

/// What a mocked Task does on one invocation: return a result (`"Return"`) or fail with an
/// error and cause (`"Throw"`), exactly the two choices Step Functions Local offers.
public enum MockAnswer: Sendable, Hashable {
    case `return`(JSONValue)
    case `throw`(StatesError)
}
