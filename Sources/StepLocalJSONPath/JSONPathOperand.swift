import StepLocalJSON

/// One side of a filter comparison: a path relative to the current item (`@`) or to the
/// document (`$`), a literal, or a regex (`/.../i`).
enum JSONPathOperand: Sendable, Hashable {
    case current([JSONPathSegment])
    case document([JSONPathSegment])
    case literal(JSONValue)
    case regex(JSONPathRegex)
}
