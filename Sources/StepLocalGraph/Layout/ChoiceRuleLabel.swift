import StepLocalASL
import StepLocalJSON

/// The short text drawn on a Choice edge (`$.x == 1`, `$.a > 10`, `{% $n > 3 %}`, `And(2)`): enough
/// to tell the branches apart at a glance; the full text goes into the edge's tooltip.
enum ChoiceRuleLabel {
    /// The longest label drawn on an edge, in characters; longer ones end in "…".
    static let maximumLength = 32

    static func short(_ rule: ChoiceRule) -> String {
        TextMetrics.truncated(full(rule), toCharacters: maximumLength)
    }

    /// The condition written out. A combinator of several rules is named with its arity (`And(2)`)
    /// unless it has a single rule, which is written inside it (`Not($.x == 1)`).
    static func full(_ rule: ChoiceRule) -> String {
        switch rule {
        case .and(let rules): return rules.count == 1 ? "And(\(full(rules[0])))" : "And(\(rules.count))"
        case .or(let rules): return rules.count == 1 ? "Or(\(full(rules[0])))" : "Or(\(rules.count))"
        case .not(let inner): return "Not(\(full(inner)))"
        case .condition(let template):
            switch template {
            case .jsonata(_, let text, _): return "{% \(text.collapsingWhitespace()) %}"
            case .literal(let value): return value.serialized()
            default: return "Condition"
            }
        case .comparison(let variable, let op, let operand):
            let left = variable.text
            let right: String
            switch operand {
            case .none: right = ""
            case .literal(let value): right = value.serialized()
            case .path(let path): right = path.text
            }
            switch op {
            case .stringEquals, .numericEquals, .booleanEquals, .timestampEquals: return "\(left) == \(right)"
            case .stringLessThan, .numericLessThan, .timestampLessThan: return "\(left) < \(right)"
            case .stringGreaterThan, .numericGreaterThan, .timestampGreaterThan: return "\(left) > \(right)"
            case .stringLessThanEquals, .numericLessThanEquals, .timestampLessThanEquals: return "\(left) <= \(right)"
            case .stringGreaterThanEquals, .numericGreaterThanEquals, .timestampGreaterThanEquals: return "\(left) >= \(right)"
            case .stringMatches: return "\(left) matches \(right)"
            case .isNull(let flag): return "\(left) \(flag ? "is" : "is not") null"
            case .isPresent(let flag): return "\(left) \(flag ? "is present" : "is absent")"
            case .isNumeric(let flag): return "\(left) \(flag ? "is" : "is not") numeric"
            case .isString(let flag): return "\(left) \(flag ? "is" : "is not") string"
            case .isBoolean(let flag): return "\(left) \(flag ? "is" : "is not") boolean"
            case .isTimestamp(let flag): return "\(left) \(flag ? "is" : "is not") timestamp"
            }
        }
    }
}

extension String {
    /// The text on one line: runs of spaces, tabs and newlines become one space, none at either end.
    func collapsingWhitespace() -> String {
        split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
