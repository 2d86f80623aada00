import StepLocalJSON

/// The boolean expression inside `[?( ... )]`, as an indirect tree so `&&`, `||`, `!` and
/// parentheses nest freely.
indirect enum JSONPathFilter: Sendable, Hashable {
    case or(JSONPathFilter, JSONPathFilter)
    case and(JSONPathFilter, JSONPathFilter)
    case not(JSONPathFilter)
    /// `[?(@.isbn)]`: true when the path selects something (even `null`).
    case exists(JSONPathOperand)
    /// `[?(@.price < 10)]`
    case compare(JSONPathOperand, JSONPathOperator, JSONPathOperand)
}
