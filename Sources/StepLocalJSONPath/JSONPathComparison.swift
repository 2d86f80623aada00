import StepLocalJSON

/// Jayway's relational semantics for filter expressions: `==` between a number and a numeric
/// string is numeric, `<` only orders number/number and string/string, anything against an
/// undefined path is false (so `!=` is true), and `=~` must match the whole string.
enum JSONPathComparison {
    /// An evaluated operand.
    enum Operand {
        case undefined
        case value(JSONValue)
        case regex(JSONPathRegex)
    }

    /// Throws only for `=~`, when the match ran past its bound and was stopped (see ``JSONPathRegex``).
    static func evaluate(_ left: Operand, _ op: JSONPathOperator, _ right: Operand) throws(JSONPathError) -> Bool {
        switch op {
        case .equal: return equals(left, right)
        case .notEqual: return !equals(left, right)
        case .less: return order(left, right).map { $0 < 0 } ?? false
        case .lessOrEqual: return order(left, right).map { $0 <= 0 } ?? false
        case .greater: return order(left, right).map { $0 > 0 } ?? false
        case .greaterOrEqual: return order(left, right).map { $0 >= 0 } ?? false
        case .matches: return try regexMatches(left, right)
        case .in: return list(right).map { list in list.contains { equals(left, .value($0)) } } ?? false
        case .notIn: return !(list(right).map { list in list.contains { equals(left, .value($0)) } } ?? false)
        case .subsetOf:
            guard let l = list(left), let r = list(right) else { return false }
            return l.allSatisfy { item in r.contains { equals(.value(item), .value($0)) } }
        case .anyOf:
            guard let l = list(left), let r = list(right) else { return false }
            return l.contains { item in r.contains { equals(.value(item), .value($0)) } }
        case .noneOf:
            guard let l = list(left), let r = list(right) else { return false }
            return !l.contains { item in r.contains { equals(.value(item), .value($0)) } }
        case .size:
            guard case .value(let r) = right, let n = r.numberValue?.intValue, case .value(let l) = left else { return false }
            switch l {
            case .array(let a): return a.count == n
            case .string(let s): return s.utf16.count == n
            default: return false
            }
        case .empty:
            guard case .value(let r) = right, let wanted = r.boolValue, case .value(let l) = left else { return false }
            switch l {
            case .array(let a): return a.isEmpty == wanted
            case .string(let s): return s.isEmpty == wanted
            default: return false
            }
        case .contains:
            guard case .value(let l) = left, case .value(let r) = right else { return false }
            switch (l, r) {
            case (.string(let s), .string(let t)): return s.contains(t)
            case (.array(let a), _): return a.contains { equals(.value($0), right) }
            default: return false
            }
        }
    }

    private static func list(_ operand: Operand) -> [JSONValue]? {
        if case .value(.array(let a)) = operand { return a }
        return nil
    }

    static func equals(_ left: Operand, _ right: Operand) -> Bool {
        guard case .value(let l) = left, case .value(let r) = right else { return false }
        switch (l, r) {
        case (.number(let a), .number(let b)): return a == b
        case (.number(let a), .string(let s)):
            guard let d = Double(s) else { return false }
            return a.doubleValue == d
        case (.string(let s), .number(let b)): return s == b.text
        default: return l == r
        }
    }

    /// -1/0/1 for comparable pairs, nil otherwise.
    private static func order(_ left: Operand, _ right: Operand) -> Int? {
        guard case .value(let l) = left, case .value(let r) = right else { return nil }
        switch (l, r) {
        case (.number(let a), .number(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)):
            // Java's String.compareTo: UTF-16 code units.
            return a.utf16.lexicographicallyPrecedes(b.utf16) ? -1 : (a == b ? 0 : 1)
        default:
            return nil
        }
    }

    private static func regexMatches(_ left: Operand, _ right: Operand) throws(JSONPathError) -> Bool {
        let regex: JSONPathRegex, subject: Operand
        switch (left, right) {
        case (.regex(let r), _): (regex, subject) = (r, right)
        case (_, .regex(let r)): (regex, subject) = (r, left)
        default: return false
        }
        let input: String
        switch subject {
        case .value(.string(let s)): input = s
        case .value(.number(let n)): input = n.text
        case .value(.bool(let b)): input = b ? "true" : "false"
        default: input = ""
        }
        guard let matched = regex.matchesWhole(input) else {
            throw JSONPathError(
                kind: .matchStopped,
                message: "the match of the regular expression \(regex.literal) was stopped (it ran past \(JSONPathRegex.timeLimit), or its execution was stopped)",
                path: "")
        }
        return matched
    }
}
