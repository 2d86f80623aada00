import StepLocalJSON

/// Builds the ``JSONPathSegment`` AST from text once, at definition load, so that evaluation on
/// the per-state hot path never looks at characters again.
struct JSONPathParser {
    private var lexer: JSONPathLexer
    /// Open filters, parentheses, negations and list literals: each is a level of recursion here and in evaluation.
    private var nesting = 0
    /// `&&`/`||` operators read so far: each chains one more level onto a filter's tree.
    private var logicalOperators = 0

    /// The most steps in one path, and the most nested filters, parentheses, negations and logical
    /// operators in one path. Jayway has no such limits; ours keep every walk over a compiled path
    /// (evaluation, ResultPath writes, release) shallow. A longer path could not match a payload
    /// anyway: payloads nest at most `JSONParser.maximumDepth` levels.
    static let maximumSteps = JSONParser.maximumDepth
    static let maximumFilterNesting = 128

    init(_ text: String) {
        lexer = JSONPathLexer(text)
    }

    /// Parses a whole path: root, then steps, then end of text.
    static func parse(_ text: String) throws(JSONPathError) -> (JSONPath.Root, [JSONPathSegment]) {
        var parser = JSONPathParser(text)
        guard case .root(let root) = try parser.lexer.next() else {
            throw parser.lexer.fail("A path must start with '$'", at: 0)
        }
        let segments = try parser.segments(inFilter: false)
        guard try parser.lexer.next() == .end else { throw parser.lexer.fail("Unexpected character") }
        return (root, segments)
    }

    // MARK: Steps

    private mutating func segments(inFilter: Bool) throws(JSONPathError) -> [JSONPathSegment] {
        var result: [JSONPathSegment] = []
        while true {
            if result.count > JSONPathParser.maximumSteps {
                throw lexer.fail("A path may have at most \(JSONPathParser.maximumSteps) steps")
            }
            // Whitespace ends a path inside a filter (`@.a == 1`); at top level it is an error.
            if inFilter, let s = lexer.peekScalar(), s == " " || s == "\t" { return result }
            if let last = result.last, case .function = last {
                if lexer.peekScalar() == "." || lexer.peekScalar() == "[" {
                    throw lexer.fail("A function must be the last step of a path")
                }
                return result
            }
            switch lexer.peekScalar() {
            case ".":
                let token = try lexer.next()
                if token == .deepScan {
                    result.append(.deepScan(try scanTarget(inFilter: inFilter)))
                } else {
                    result.append(try dotTarget(inFilter: inFilter))
                }
            case "[":
                _ = try lexer.next()
                result.append(try bracket())
            default:
                return result
            }
        }
    }

    private mutating func dotTarget(inFilter: Bool) throws(JSONPathError) -> JSONPathSegment {
        if lexer.peekScalar() == "*" {
            _ = try lexer.next()
            return .wildcard
        }
        let start = lexer.position
        let name = lexer.memberName(inFilter: inFilter)
        guard !name.isEmpty else { throw lexer.fail("Expected a member name after '.'", at: start) }
        if lexer.peekScalar() == "(" {
            _ = try lexer.next()
            guard try lexer.next() == .rightParen else { throw lexer.fail("Path functions take no arguments") }
            guard let function = JSONPathFunction(rawValue: name) else {
                throw lexer.fail("Function with name: \(name) does not exist.", at: start)
            }
            return .function(function)
        }
        return .name(name)
    }

    private mutating func scanTarget(inFilter: Bool) throws(JSONPathError) -> JSONPathSegment {
        switch lexer.peekScalar() {
        case "*":
            _ = try lexer.next()
            return .wildcard
        case "[":
            _ = try lexer.next()
            return try bracket()
        default:
            let start = lexer.position
            let name = lexer.memberName(inFilter: inFilter)
            guard !name.isEmpty else { throw lexer.fail("Path must not end with a '..'", at: start) }
            return .name(name)
        }
    }

    /// Everything between `[` and `]` (the `[` already consumed).
    private mutating func bracket() throws(JSONPathError) -> JSONPathSegment {
        let token = try lexer.next()
        switch token {
        case .star:
            try expect(.rightBracket)
            return .wildcard
        case .question:
            try expect(.leftParen)
            try enterFilterLevel()
            defer { nesting -= 1 }
            let filter = try orExpression()
            try expect(.rightParen)
            try expect(.rightBracket)
            return .filter(filter)
        case .string(let first):
            var names = [first]
            while true {
                let t = try lexer.next()
                if t == .rightBracket { break }
                guard t == .comma, case .string(let more) = try lexer.next() else {
                    throw lexer.fail("Property must be separated by comma or terminated by ']'")
                }
                names.append(more)
            }
            return names.count == 1 ? .name(first) : .names(names)
        case .colon:
            return try slice(start: nil)
        case .number(let n):
            guard let first = n.intValue, n.isInteger else { throw lexer.fail("Array index must be an integer") }
            var next = try lexer.next()
            if next == .colon { return try slice(start: first) }
            var indexes = [first]
            while next == .comma {
                guard case .number(let m) = try lexer.next(), let i = m.intValue else {
                    throw lexer.fail("Array index must be an integer")
                }
                indexes.append(i)
                next = try lexer.next()
            }
            guard next == .rightBracket else { throw lexer.fail("Expected ']'") }
            return indexes.count == 1 ? .index(first) : .indexes(indexes)
        default:
            throw lexer.fail("Unexpected content in brackets")
        }
    }

    /// A slice after its first `:`; `start` is what came before it.
    private mutating func slice(start: Int?) throws(JSONPathError) -> JSONPathSegment {
        var end: Int?
        var step: Int?
        var token = try lexer.next()
        if case .number(let n) = token {
            guard let i = n.intValue else { throw lexer.fail("Slice bounds must be integers") }
            end = i
            token = try lexer.next()
        }
        if token == .colon {
            token = try lexer.next()
            if case .number(let n) = token {
                guard let i = n.intValue, i != 0 else { throw lexer.fail("Slice step must be a non-zero integer") }
                step = i
                token = try lexer.next()
            }
        }
        guard token == .rightBracket else { throw lexer.fail("Expected ']' after slice") }
        return .slice(start: start, end: end, step: step)
    }

    private mutating func expect(_ token: JSONPathToken) throws(JSONPathError) {
        let actual = try lexer.next()
        guard actual == token else { throw lexer.fail("Expected \(Self.spelling(token))") }
    }

    private static func spelling(_ token: JSONPathToken) -> String {
        switch token {
        case .rightBracket: "']'"
        case .leftParen: "'('"
        case .rightParen: "')'"
        default: "\(token)"
        }
    }

    // MARK: Filters

    /// Counts one more level of filter nesting, refusing more than ``maximumFilterNesting``.
    private mutating func enterFilterLevel() throws(JSONPathError) {
        nesting += 1
        if nesting > JSONPathParser.maximumFilterNesting {
            throw lexer.fail("Filters may nest at most \(JSONPathParser.maximumFilterNesting) levels")
        }
    }

    private mutating func countLogicalOperator() throws(JSONPathError) {
        logicalOperators += 1
        if logicalOperators > JSONPathParser.maximumFilterNesting {
            throw lexer.fail("A path may have at most \(JSONPathParser.maximumFilterNesting) '&&' and '||' operators")
        }
    }

    private mutating func orExpression() throws(JSONPathError) -> JSONPathFilter {
        var left = try andExpression()
        while try lexer.peek() == .or {
            _ = try lexer.next()
            try countLogicalOperator()
            left = .or(left, try andExpression())
        }
        return left
    }

    private mutating func andExpression() throws(JSONPathError) -> JSONPathFilter {
        var left = try unaryExpression()
        while try lexer.peek() == .and {
            _ = try lexer.next()
            try countLogicalOperator()
            left = .and(left, try unaryExpression())
        }
        return left
    }

    private mutating func unaryExpression() throws(JSONPathError) -> JSONPathFilter {
        switch try lexer.peek() {
        case .not:
            _ = try lexer.next()
            try enterFilterLevel()
            defer { nesting -= 1 }
            return .not(try unaryExpression())
        case .leftParen:
            _ = try lexer.next()
            try enterFilterLevel()
            defer { nesting -= 1 }
            let inner = try orExpression()
            try expect(.rightParen)
            return inner
        default:
            return try comparison()
        }
    }

    private mutating func comparison() throws(JSONPathError) -> JSONPathFilter {
        let left = try operand()
        let op: JSONPathOperator
        switch try lexer.peek() {
        case .comparison(let o):
            op = o
        case .word(let w):
            guard let o = JSONPathOperator.word(w) else { throw lexer.fail("Unknown operator '\(w)'") }
            op = o
        default:
            switch left {
            case .current, .document: return .exists(left)
            default: throw lexer.fail("Expected a comparison operator")
            }
        }
        _ = try lexer.next()
        return .compare(left, op, try operand())
    }

    private mutating func operand() throws(JSONPathError) -> JSONPathOperand {
        let token = try lexer.next()
        switch token {
        case .current:
            return .current(try segments(inFilter: true))
        case .root(.input):
            return .document(try segments(inFilter: true))
        case .regex(let pattern, let ignoreCase):
            return .regex(JSONPathRegex(pattern: pattern, ignoreCase: ignoreCase))
        default:
            return .literal(try literal(token))
        }
    }

    private mutating func literal(_ token: JSONPathToken) throws(JSONPathError) -> JSONValue {
        switch token {
        case .string(let s): return .string(Self.unescape(s))
        case .number(let n): return .number(n)
        case .word("true"): return .bool(true)
        case .word("false"): return .bool(false)
        case .word("null"): return .null
        case .leftBracket:
            // A list inside a list is one more level of recursion here: counted like a filter.
            try enterFilterLevel()
            defer { nesting -= 1 }
            var items: [JSONValue] = []
            var next = try lexer.next()
            if next == .rightBracket { return .array(items) }
            while true {
                items.append(try literal(next))
                let separator = try lexer.next()
                if separator == .rightBracket { return .array(items) }
                guard separator == .comma else { throw lexer.fail("Expected ',' or ']' in list") }
                next = try lexer.next()
            }
        default:
            throw lexer.fail("Expected a value in filter")
        }
    }

    /// String literals in filters unescape `\'`, `\"` and `\\` (member names do not; see the lexer).
    private static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var escaping = false
        for c in s.unicodeScalars {
            if escaping {
                out.unicodeScalars.append(c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
