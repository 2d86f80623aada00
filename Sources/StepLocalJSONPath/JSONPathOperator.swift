/// A relational operator of a filter expression (`[?(@.a < 1)]`), with the Jayway set of
/// word operators (`in`, `nin`, `subsetof`, ...).
enum JSONPathOperator: String, Sendable, Hashable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case matches = "=~"
    case `in` = "in"
    case notIn = "nin"
    case subsetOf = "subsetof"
    case anyOf = "anyof"
    case noneOf = "noneof"
    case size = "size"
    case empty = "empty"
    case contains = "contains"

    /// Operators written as words rather than symbols.
    static func word(_ text: String) -> JSONPathOperator? {
        switch text.lowercased() {
        case "in": .in
        case "nin": .notIn
        case "subsetof": .subsetOf
        case "anyof": .anyOf
        case "noneof": .noneOf
        case "size": .size
        case "empty": .empty
        case "contains": .contains
        default: nil
        }
    }
}
