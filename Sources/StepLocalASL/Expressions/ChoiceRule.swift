import StepLocalJSON
import StepLocalJSONPath

/// A Choice rule, compiled: boolean combinators over comparisons of a `Variable` with a
/// literal or another path, or (JSONata) a `Condition` expression.
public indirect enum ChoiceRule: Sendable {
    case and([ChoiceRule])
    case or([ChoiceRule])
    case not(ChoiceRule)
    case comparison(variable: JSONPath, ChoiceOperator, ChoiceOperand)
    /// JSONata `Condition`; must evaluate to a boolean.
    case condition(PayloadTemplate)

    public func evaluate(in environment: EvaluationEnvironment) throws(StatesError) -> Bool {
        switch self {
        case .and(let rules):
            for rule in rules where try !rule.evaluate(in: environment) { return false }
            return true
        case .or(let rules):
            for rule in rules where try rule.evaluate(in: environment) { return true }
            return false
        case .not(let rule):
            return try !rule.evaluate(in: environment)
        case .condition(let template):
            let value = try template.evaluate(in: environment)
            guard case .bool(let b) = value else {
                let text: String
                if case .jsonata(_, let t, _) = template { text = t } else { text = value.serialized() }
                throw StatesError.queryEvaluationError(
                    "The JSONata expression '\(text)' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '\(value.typeName)' for value: \(value.serialized())")
            }
            return b
        case .comparison(let variable, let op, let operand):
            let value = try PathResolver.select(variable, in: environment)
            if case .isPresent(let expected) = op {
                return (value != nil) == expected
            }
            guard let value else {
                throw StatesError.runtime("Invalid path '\(variable.text)' : No results for path: \(NormalizedPath.render(variable))")
            }
            let other: JSONValue
            switch operand {
            case .none: other = .null
            case .literal(let v): other = v
            case .path(let path):
                guard let resolved = try PathResolver.select(path, in: environment) else {
                    throw StatesError.runtime("Invalid path '\(path.text)' : No results for path: \(NormalizedPath.render(path))")
                }
                other = resolved
            }
            return op.test(value, other)
        }
    }
}

/// What a comparison's right-hand side is.
public enum ChoiceOperand: Sendable {
    case none
    case literal(JSONValue)
    case path(JSONPath)
}

/// The comparison operators of JSONPath Choice rules (their `*Path` twins share the operator and
/// take a path operand).
public enum ChoiceOperator: Sendable {
    case stringEquals, stringLessThan, stringGreaterThan, stringLessThanEquals, stringGreaterThanEquals
    case stringMatches
    case numericEquals, numericLessThan, numericGreaterThan, numericLessThanEquals, numericGreaterThanEquals
    case booleanEquals
    case timestampEquals, timestampLessThan, timestampGreaterThan, timestampLessThanEquals, timestampGreaterThanEquals
    case isNull(Bool), isPresent(Bool), isNumeric(Bool), isString(Bool), isBoolean(Bool), isTimestamp(Bool)

    /// Operator names as written in definitions, without the `Path` suffix.
    static let byName: [String: ChoiceOperator] = [
        "StringEquals": .stringEquals, "StringLessThan": .stringLessThan, "StringGreaterThan": .stringGreaterThan,
        "StringLessThanEquals": .stringLessThanEquals, "StringGreaterThanEquals": .stringGreaterThanEquals,
        "StringMatches": .stringMatches,
        "NumericEquals": .numericEquals, "NumericLessThan": .numericLessThan, "NumericGreaterThan": .numericGreaterThan,
        "NumericLessThanEquals": .numericLessThanEquals, "NumericGreaterThanEquals": .numericGreaterThanEquals,
        "BooleanEquals": .booleanEquals,
        "TimestampEquals": .timestampEquals, "TimestampLessThan": .timestampLessThan, "TimestampGreaterThan": .timestampGreaterThan,
        "TimestampLessThanEquals": .timestampLessThanEquals, "TimestampGreaterThanEquals": .timestampGreaterThanEquals,
    ]

    static let typeTests: Set<String> = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]

    static func typeTest(_ name: String, _ flag: Bool) -> ChoiceOperator? {
        switch name {
        case "IsNull": .isNull(flag)
        case "IsPresent": .isPresent(flag)
        case "IsNumeric": .isNumeric(flag)
        case "IsString": .isString(flag)
        case "IsBoolean": .isBoolean(flag)
        case "IsTimestamp": .isTimestamp(flag)
        default: nil
        }
    }

    /// The JSON type a literal operand must have.
    var operandKind: String {
        switch self {
        case .stringEquals, .stringLessThan, .stringGreaterThan, .stringLessThanEquals, .stringGreaterThanEquals, .stringMatches: "string"
        case .numericEquals, .numericLessThan, .numericGreaterThan, .numericLessThanEquals, .numericGreaterThanEquals: "number"
        case .booleanEquals: "boolean"
        case .timestampEquals, .timestampLessThan, .timestampGreaterThan, .timestampLessThanEquals, .timestampGreaterThanEquals: "timestamp"
        default: "boolean"
        }
    }

    /// Applies the operator. A value of the wrong type never matches (AWS does not coerce).
    func test(_ value: JSONValue, _ other: JSONValue) -> Bool {
        switch self {
        case .isNull(let flag): return value.isNull == flag
        case .isPresent(let flag): return flag
        case .isNumeric(let flag): return (value.numberValue != nil) == flag
        case .isString(let flag): return (value.stringValue != nil) == flag
        case .isBoolean(let flag): return (value.boolValue != nil) == flag
        case .isTimestamp(let flag):
            let isTimestamp = value.stringValue.flatMap(Timestamp.parseRFC3339) != nil
            return isTimestamp == flag
        case .stringEquals, .stringLessThan, .stringGreaterThan, .stringLessThanEquals, .stringGreaterThanEquals:
            guard case .string(let a) = value, case .string(let b) = other else { return false }
            return compare(a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : (a == b ? 0 : 1))
        case .stringMatches:
            guard case .string(let a) = value, case .string(let pattern) = other else { return false }
            return StringPattern.matches(a, pattern: pattern)
        case .numericEquals, .numericLessThan, .numericGreaterThan, .numericLessThanEquals, .numericGreaterThanEquals:
            guard case .number(let a) = value, case .number(let b) = other else { return false }
            return compare(a < b ? -1 : (a == b ? 0 : 1))
        case .booleanEquals:
            guard case .bool(let a) = value, case .bool(let b) = other else { return false }
            return a == b
        case .timestampEquals, .timestampLessThan, .timestampGreaterThan, .timestampLessThanEquals, .timestampGreaterThanEquals:
            guard case .string(let a) = value, case .string(let b) = other, let ta = Timestamp.parseRFC3339(a),
                let tb = Timestamp.parseRFC3339(b)
            else { return false }
            return compare(ta < tb ? -1 : (ta == tb ? 0 : 1))
        }
    }

    private func compare(_ order: Int) -> Bool {
        switch self {
        case .stringEquals, .numericEquals, .timestampEquals: order == 0
        case .stringLessThan, .numericLessThan, .timestampLessThan: order < 0
        case .stringGreaterThan, .numericGreaterThan, .timestampGreaterThan: order > 0
        case .stringLessThanEquals, .numericLessThanEquals, .timestampLessThanEquals: order <= 0
        case .stringGreaterThanEquals, .numericGreaterThanEquals, .timestampGreaterThanEquals: order >= 0
        default: false
        }
    }
}

/// `StringMatches` patterns: `*` matches any run of characters, `\*` a literal star, `\\` a backslash.
enum StringPattern {
    static func matches(_ text: String, pattern: String) -> Bool {
        enum Token { case literal(Character), star }
        var tokens: [Token] = []
        var escaping = false
        for ch in pattern {
            if escaping {
                tokens.append(.literal(ch))
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else if ch == "*" {
                tokens.append(.star)
            } else {
                tokens.append(.literal(ch))
            }
        }
        let chars = Array(text)
        // Classic wildcard matching with backtracking over the last star.
        var t = 0, p = 0, starIndex = -1, match = 0
        while t < chars.count {
            if p < tokens.count, case .literal(let c) = tokens[p], c == chars[t] {
                t += 1; p += 1
            } else if p < tokens.count, case .star = tokens[p] {
                starIndex = p; match = t; p += 1
            } else if starIndex >= 0 {
                p = starIndex + 1; match += 1; t = match
            } else {
                return false
            }
        }
        while p < tokens.count, case .star = tokens[p] { p += 1 }
        return p == tokens.count
    }
}

/// Jayway's normalized rendering of a path (`$['a']['b']`), as AWS quotes it in error causes.
public enum NormalizedPath {
    public static func render(_ path: JSONPath) -> String {
        var text = Substring(path.text)
        var out = "$"
        while text.first == "$" { text = text.dropFirst() }
        if case .variable(let name) = path.root { text = text.dropFirst(name.count) }
        for part in text.split(separator: ".", omittingEmptySubsequences: true) {
            var segment = part
            var indexes: [Substring] = []
            while let open = segment.lastIndex(of: "["), segment.hasSuffix("]") {
                indexes.insert(segment[segment.index(after: open)..<segment.index(before: segment.endIndex)], at: 0)
                segment = segment[..<open]
            }
            if !segment.isEmpty { out += "['\(segment)']" }
            for index in indexes { out += "[\(index)]" }
        }
        return out
    }
}
