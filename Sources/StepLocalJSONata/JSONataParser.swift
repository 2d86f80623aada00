import StepLocalJSON
import Foundation

/// Top-down operator-precedence (Pratt) parser for JSONata, followed by jsonata-js's post-parse
/// rewriting (`processAST`) and a final freeze into ``JSONataNode``.
struct JSONataParser {
    typealias Node = JSONataSyntaxNode

    private var lexer: JSONataLexer
    private var node: Node
    private let sourceLength: Int
    private var ancestorLabel = 0
    private var ancestorIndex = 0
    /// How many `expression` calls are open: nested parentheses, arrays, objects and right operands.
    private var nesting = 0
    /// The stack the recursive descent, post-processing and freezing may use.
    private let stack = StackBudget()

    /// The deepest expression the parser accepts, in nested sub-expressions and in levels of the
    /// parse tree (a chain `1+1+...+1` is one level per operator). jsonata-js has no such limit (a
    /// deep enough expression overflows its JavaScript stack); ours keeps every walk over the tree
    /// (post-processing, freezing, evaluation, release) far inside a thread's stack, and matches the
    /// evaluator's default depth limit, beyond which no such tree could be evaluated anyway.
    static let maximumNesting = JSONataLimits.default.maximumDepth

    private static let infixOperators: Set<String> = [
        ".", "+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>",
        "(", "[", "^", "{", ":=", "@", "#", "?", "?:", "??",
    ]
    private static let knownSymbols: Set<String> = infixOperators.union([
        ":", ";", ",", ")", "]", "}", "..", "**", "|",
    ])

    static func parse(_ text: String) throws(JSONataError) -> JSONataNode {
        var parser = JSONataParser(text)
        try parser.advance(nil, infix: false)
        let tree = try parser.expression(0)
        if parser.node.id != "(end)" {
            throw JSONataError(code: "S0201", message: "Syntax error: \(parser.node.value)", position: parser.node.position)
        }
        let processed = try parser.processAST(tree)
        let stack = parser.stack
        if processed.type == "parent" || processed.seekingParent != nil {
            throw JSONataError.make("S0217", position: processed.position)
        }
        return try JSONataParser.freeze(processed, stack)
    }

    private init(_ text: String) {
        lexer = JSONataLexer(text)
        sourceLength = text.count
        node = Node(type: "(end)", id: "(end)", value: "(end)", position: 0)
    }

    private func lbp(_ n: Node) -> Int {
        guard n.type == "operator" else { return 0 }
        if JSONataParser.infixOperators.contains(n.id) { return JSONataLexer.operators[n.id] ?? 0 }
        return 0
    }

    @discardableResult
    private mutating func advance(_ id: String?, infix: Bool = false) throws(JSONataError) -> Node {
        if let id, node.id != id {
            let code = node.id == "(end)" ? "S0203" : "S0202"
            throw JSONataError(code: code, message: "Expected \(id), got \(node.value)", position: node.position)
        }
        let token = try lexer.next(infix: infix)
        let n: Node
        switch token.kind {
        case .end:
            n = Node(type: "(end)", id: "(end)", value: "(end)", position: sourceLength)
        case .name:
            n = Node(type: "name", id: "(name)", value: token.text, position: token.position)
        case .variable:
            n = Node(type: "variable", id: "(name)", value: token.text, position: token.position)
        case .string:
            n = Node(type: "string", id: "(literal)", value: token.text, position: token.position)
        case .number:
            n = Node(type: "number", id: "(literal)", value: token.text, position: token.position)
            n.number = token.number
        case .value:
            n = Node(type: "value", id: "(literal)", value: token.text, position: token.position)
        case .regex:
            n = Node(type: "regex", id: "(regex)", value: token.text, position: token.position)
            n.flags = token.flags
        case .op:
            guard JSONataParser.knownSymbols.contains(token.text) else {
                throw JSONataError(code: "S0204", message: "Unknown operator: \(token.text)", position: token.position)
            }
            n = Node(type: "operator", id: token.text, value: token.text, position: token.position)
        }
        node = n
        return n
    }

    private mutating func expression(_ rbp: Int) throws(JSONataError) -> Node {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > JSONataParser.maximumNesting || stack.isExhausted { throw tooDeep(at: node) }
        var t = node
        try advance(nil, infix: true)
        var left = try settleHeight(nud(t))
        while rbp < lbp(node) {
            t = node
            try advance(nil)
            left = try settleHeight(led(t, left))
        }
        return left
    }

    /// Records `n`'s height from its children's, refusing a tree deeper than ``maximumNesting``
    /// before it grows further (so no walk over it, its release included, can go deeper).
    private func settleHeight(_ n: Node) throws(JSONataError) -> Node {
        var height = n.height
        for child in n.parsedChildren where child !== n { height = max(height, child.height + 1) }
        n.height = height
        if height > JSONataParser.maximumNesting { throw tooDeep(at: n) }
        return n
    }

    private func tooDeep(at n: Node) -> JSONataError {
        JSONataError(
            code: "U1001",
            message: "Expression too deeply nested: more than \(JSONataParser.maximumNesting) levels of sub-expressions",
            position: n.position)
    }

    // MARK: prefix forms

    private mutating func nud(_ t: Node) throws(JSONataError) -> Node {
        switch t.type {
        case "name", "variable", "string", "number", "value", "regex", "(end)":
            return t
        case "operator":
            break
        default:
            return t
        }
        switch t.id {
        case "and", "or", "in":
            return t
        case "-":
            t.expression = try expression(70)
            t.type = "unary"
            return t
        case "*":
            t.type = "wildcard"
            return t
        case "**":
            t.type = "descendant"
            return t
        case "%":
            t.type = "parent"
            return t
        case "(":
            var exprs: [Node] = []
            while node.id != ")" {
                exprs.append(try expression(0))
                if node.id != ";" { break }
                try advance(";")
            }
            try advance(")", infix: true)
            t.type = "block"
            t.expressions = exprs
            return t
        case "[":
            var items: [Node] = []
            if node.id != "]" {
                while true {
                    var item = try expression(0)
                    if node.id == ".." {
                        let range = Node(type: "binary", id: "..", value: "..", position: node.position)
                        range.lhs = item
                        try advance("..")
                        range.rhs = try expression(0)
                        item = range
                    }
                    items.append(item)
                    if node.id != "," { break }
                    try advance(",")
                }
            }
            try advance("]", infix: true)
            t.expressions = items
            t.type = "unary"
            return t
        case "{":
            t.pairs = try objectPairs()
            t.type = "unary"
            return t
        case "|":
            t.type = "transform"
            t.pattern = try expression(0)
            try advance("|")
            t.update = try expression(0)
            if node.id == "," {
                try advance(",")
                t.delete = try expression(0)
            }
            try advance("|")
            return t
        default:
            throw JSONataError(code: "S0211", message: "The symbol \(t.value) cannot be used as a unary operator", position: t.position)
        }
    }

    private mutating func objectPairs() throws(JSONataError) -> [(Node, Node)] {
        var pairs: [(Node, Node)] = []
        if node.id != "}" {
            while true {
                let k = try expression(0)
                try advance(":")
                let v = try expression(0)
                pairs.append((k, v))
                if node.id != "," { break }
                try advance(",")
            }
        }
        try advance("}", infix: true)
        return pairs
    }

    // MARK: infix forms

    private mutating func led(_ t: Node, _ left: Node) throws(JSONataError) -> Node {
        let bp = JSONataLexer.operators[t.id] ?? 0
        switch t.id {
        case "(":
            t.procedure = left
            t.type = "function"
            if node.id != ")" {
                while true {
                    if node.type == "operator", node.id == "?" {
                        t.type = "partial"
                        t.arguments.append(node)
                        try advance("?")
                    } else {
                        t.arguments.append(try expression(0))
                    }
                    if node.id != "," { break }
                    try advance(",")
                }
            }
            try advance(")", infix: true)
            if left.type == "name", left.value == "function" || left.value == "\u{03BB}" {
                for (i, arg) in t.arguments.enumerated() where arg.type != "variable" {
                    throw JSONataError(code: "S0208", message: "Parameter \(i + 1) of function definition must be a variable name (start with $)", position: arg.position)
                }
                t.type = "lambda"
                if node.id == "<" {
                    let sigPos = node.position
                    var depth = 1
                    var sig = "<"
                    while depth > 0, node.id != "{", node.id != "(end)" {
                        let tok = try advance(nil)
                        if tok.id == ">" { depth -= 1 } else if tok.id == "<" { depth += 1 }
                        sig += tok.value
                    }
                    try advance(">")
                    do {
                        t.signature = try JSONataSignature(sig)
                    } catch {
                        throw JSONataError(code: error.code, message: error.message, position: sigPos + (error.position ?? 0))
                    }
                }
                try advance("{")
                t.body = try expression(0)
                try advance("}")
            }
            return t
        case "[":
            if node.id == "]" {
                var step: Node? = left
                while let s = step, s.type == "binary", s.value == "[" { step = s.lhs }
                step?.keepArray = true
                try advance("]")
                return left
            }
            t.lhs = left
            t.rhs = try expression(0)
            t.type = "binary"
            try advance("]", infix: true)
            return t
        case "^":
            try advance("(")
            var terms: [(Bool, Node)] = []
            while true {
                var descending = false
                if node.id == "<" {
                    try advance("<")
                } else if node.id == ">" {
                    descending = true
                    try advance(">")
                }
                terms.append((descending, try expression(0)))
                if node.id != "," { break }
                try advance(",")
            }
            try advance(")")
            t.lhs = left
            t.terms = terms
            t.type = "binary"
            return t
        case "{":
            t.lhs = left
            t.pairs = try objectPairs()
            t.type = "binary"
            return t
        case ":=":
            if left.type != "variable" {
                throw JSONataError.make("S0212", position: left.position)
            }
            t.lhs = left
            t.rhs = try expression(bp - 1)
            t.type = "binary"
            return t
        case "@", "#":
            t.lhs = left
            t.rhs = try expression(bp)
            if t.rhs?.type != "variable" {
                throw JSONataError(code: "S0214", message: "The right side of \(t.id) must be a variable name (start with $)", position: t.rhs?.position)
            }
            t.type = "binary"
            return t
        case "?":
            t.type = "condition"
            t.condition = left
            t.then = try expression(0)
            if node.id == ":" {
                try advance(":")
                t.otherwise = try expression(0)
            }
            return t
        case "?:", "??":
            t.type = t.id == "??" ? "coalesce" : "elvis"
            t.condition = left
            t.otherwise = try expression(0)
            return t
        default:
            t.lhs = left
            t.rhs = try expression(bp)
            t.type = "binary"
            return t
        }
    }

    // MARK: post-parse (jsonata-js processAST)

    private func tailCallOptimize(_ expr: Node) -> Node {
        if expr.type == "function", expr.predicate == nil {
            let thunk = Node(type: "lambda", id: "(thunk)", value: "", position: expr.position)
            thunk.thunk = true
            thunk.body = expr
            return thunk
        } else if expr.type == "condition" {
            if let then = expr.then { expr.then = tailCallOptimize(then) }
            if let other = expr.otherwise { expr.otherwise = tailCallOptimize(other) }
        } else if expr.type == "block", let last = expr.expressions.last {
            expr.expressions[expr.expressions.count - 1] = tailCallOptimize(last)
        }
        return expr
    }

    private func seekParent(_ node: Node, _ slotIn: Node.Slot) throws(JSONataError) -> Node.Slot {
        var slot = slotIn
        switch node.type {
        case "name", "wildcard":
            slot.level -= 1
            if slot.level == 0 {
                if let existing = node.ancestor {
                    slot.label = existing.label
                    node.ancestor = slot
                } else {
                    node.ancestor = slot
                }
                node.tuple = true
            }
        case "parent":
            slot.level += 1
        case "block":
            if let last = node.expressions.last {
                node.tuple = true
                slot = try seekParent(last, slot)
            }
        case "path":
            node.tuple = true
            var index = node.steps.count - 1
            slot = try seekParent(node.steps[index], slot)
            index -= 1
            while slot.level > 0, index >= 0 {
                slot = try seekParent(node.steps[index], slot)
                index -= 1
            }
        default:
            throw JSONataError(code: "S0217", message: "The object representing the 'parent' cannot be derived from this expression (\(node.type))", position: node.position)
        }
        return slot
    }

    private func pushAncestry(_ result: Node, _ value: Node?) {
        guard let value else { return }
        if value.seekingParent != nil || value.type == "parent" {
            var slots = value.seekingParent ?? []
            if value.type == "parent", let s = value.slot { slots.append(s) }
            if result.seekingParent == nil {
                result.seekingParent = slots
            } else {
                result.seekingParent?.append(contentsOf: slots)
            }
        }
    }

    private func resolveAncestry(_ path: Node) throws(JSONataError) {
        let lastStep = path.steps[path.steps.count - 1]
        var slots = lastStep.seekingParent ?? []
        if lastStep.type == "parent", let s = lastStep.slot { slots.append(s) }
        for slotStart in slots {
            var slot = slotStart
            var index = path.steps.count - 2
            while slot.level > 0 {
                if index < 0 {
                    if path.seekingParent == nil { path.seekingParent = [slot] } else { path.seekingParent?.append(slot) }
                    break
                }
                var step = path.steps[index]
                index -= 1
                while index >= 0, step.focus != nil, path.steps[index].focus != nil {
                    step = path.steps[index]
                    index -= 1
                }
                slot = try seekParent(step, slot)
            }
        }
    }

    private mutating func processAST(_ expr: Node) throws(JSONataError) -> Node {
        if stack.isExhausted { throw tooDeep(at: expr) }
        var result: Node
        switch expr.type {
        case "binary":
            switch expr.value {
            case ".":
                let lstep = try processAST(expr.lhs!)
                if lstep.type == "path" {
                    result = lstep
                } else {
                    result = Node(type: "path", id: "path", value: "", position: lstep.position)
                    result.steps = [lstep]
                }
                if lstep.type == "parent", let s = lstep.slot { result.seekingParent = [s] }
                let rest = try processAST(expr.rhs!)
                if rest.type == "path" {
                    result.steps.append(contentsOf: rest.steps)
                } else {
                    if let p = rest.predicate {
                        rest.stages = p
                        rest.predicate = nil
                    }
                    result.steps.append(rest)
                }
                for step in result.steps {
                    if step.type == "number" || step.type == "value" {
                        throw JSONataError(code: "S0213", message: "The literal value \(step.value) cannot be used as a step within a path expression", position: step.position)
                    }
                    if step.type == "string" { step.type = "name" }
                }
                if result.steps.contains(where: { $0.keepArray }) { result.keepSingletonArray = true }
                let first = result.steps[0]
                if first.type == "unary", first.value == "[" { first.consarray = true }
                let last = result.steps[result.steps.count - 1]
                if last.type == "unary", last.value == "[" { last.consarray = true }
                try resolveAncestry(result)
            case "[":
                result = try processAST(expr.lhs!)
                var step = result
                var isStages = false
                if result.type == "path" {
                    step = result.steps[result.steps.count - 1]
                    isStages = true
                }
                if step.group != nil {
                    throw JSONataError.make("S0209", position: expr.position)
                }
                let predicate = try processAST(expr.rhs!)
                if let seeking = predicate.seekingParent {
                    for slot in seeking {
                        if slot.level == 1 {
                            _ = try seekParent(step, slot)
                        } else {
                            slot.level -= 1
                        }
                    }
                    pushAncestry(step, predicate)
                }
                let stage = Node.Stage.filter(predicate, expr.position)
                if isStages {
                    step.stages = (step.stages ?? []) + [stage]
                } else {
                    step.predicate = (step.predicate ?? []) + [stage]
                }
            case "{":
                result = try processAST(expr.lhs!)
                if result.group != nil {
                    throw JSONataError.make("S0210", position: expr.position)
                }
                var pairs: [(Node, Node)] = []
                for (k, v) in expr.pairs { pairs.append((try processAST(k), try processAST(v))) }
                result.group = (pairs, expr.position)
            case "^":
                result = try processAST(expr.lhs!)
                if result.type != "path" {
                    let p = Node(type: "path", id: "path", value: "", position: result.position)
                    p.steps = [result]
                    result = p
                }
                let sortStep = Node(type: "sort", id: "sort", value: "", position: expr.position)
                for (desc, e) in expr.terms {
                    let pe = try processAST(e)
                    pushAncestry(sortStep, pe)
                    sortStep.terms.append((desc, pe))
                }
                result.steps.append(sortStep)
                try resolveAncestry(result)
            case ":=":
                result = Node(type: "bind", id: "bind", value: expr.lhs!.value, position: expr.position)
                result.lhs = try processAST(expr.lhs!)
                result.rhs = try processAST(expr.rhs!)
                pushAncestry(result, result.rhs)
            case "@":
                result = try processAST(expr.lhs!)
                var step = result
                if result.type == "path" { step = result.steps[result.steps.count - 1] }
                if step.stages != nil || step.predicate != nil {
                    throw JSONataError.make("S0215", position: expr.position)
                }
                if step.type == "sort" {
                    throw JSONataError.make("S0216", position: expr.position)
                }
                if expr.keepArray { step.keepArray = true }
                step.focus = expr.rhs!.value
                step.tuple = true
            case "#":
                result = try processAST(expr.lhs!)
                var step = result
                if result.type == "path" {
                    step = result.steps[result.steps.count - 1]
                } else {
                    let p = Node(type: "path", id: "path", value: "", position: result.position)
                    p.steps = [result]
                    result = p
                    if let pr = step.predicate {
                        step.stages = pr
                        step.predicate = nil
                    }
                }
                if step.stages == nil {
                    step.index = expr.rhs!.value
                } else {
                    step.stages?.append(.index(expr.rhs!.value, expr.position))
                }
                step.tuple = true
            case "~>":
                result = Node(type: "apply", id: "~>", value: "~>", position: expr.position)
                result.lhs = try processAST(expr.lhs!)
                result.rhs = try processAST(expr.rhs!)
            default:
                result = Node(type: "binary", id: expr.value, value: expr.value, position: expr.position)
                result.lhs = try processAST(expr.lhs!)
                result.rhs = try processAST(expr.rhs!)
                pushAncestry(result, result.lhs)
                pushAncestry(result, result.rhs)
            }
        case "unary":
            result = Node(type: "unary", id: expr.value, value: expr.value, position: expr.position)
            if expr.value == "[" {
                for item in expr.expressions {
                    let v = try processAST(item)
                    pushAncestry(result, v)
                    result.expressions.append(v)
                }
            } else if expr.value == "{" {
                for (k, v) in expr.pairs {
                    let pk = try processAST(k)
                    pushAncestry(result, pk)
                    let pv = try processAST(v)
                    pushAncestry(result, pv)
                    result.pairs.append((pk, pv))
                }
            } else {
                let inner = try processAST(expr.expression!)
                if expr.value == "-", inner.type == "number" {
                    result = inner
                    result.number = -result.number
                } else {
                    result.expression = inner
                    pushAncestry(result, inner)
                }
            }
        case "function", "partial":
            result = Node(type: expr.type, id: expr.id, value: expr.value, position: expr.position)
            for arg in expr.arguments {
                let a = try processAST(arg)
                pushAncestry(result, a)
                result.arguments.append(a)
            }
            result.procedure = try processAST(expr.procedure!)
        case "lambda":
            result = Node(type: "lambda", id: "lambda", value: "", position: expr.position)
            result.arguments = expr.arguments
            result.signature = expr.signature
            let body = try processAST(expr.body!)
            result.body = tailCallOptimize(body)
        case "condition", "coalesce", "elvis":
            result = Node(type: expr.type, id: expr.id, value: "", position: expr.position)
            result.condition = try processAST(expr.condition!)
            pushAncestry(result, result.condition)
            if let t = expr.then {
                result.then = try processAST(t)
                pushAncestry(result, result.then)
            }
            if let e = expr.otherwise {
                result.otherwise = try processAST(e)
                pushAncestry(result, result.otherwise)
            }
        case "transform":
            result = Node(type: "transform", id: "|", value: "", position: expr.position)
            result.pattern = try processAST(expr.pattern!)
            result.update = try processAST(expr.update!)
            if let d = expr.delete { result.delete = try processAST(d) }
        case "block":
            result = Node(type: "block", id: "(", value: "", position: expr.position)
            for item in expr.expressions {
                let part = try processAST(item)
                pushAncestry(result, part)
                if part.consarray || (part.type == "path" && part.steps[0].consarray) { result.consarray = true }
                result.expressions.append(part)
            }
        case "name":
            result = Node(type: "path", id: "path", value: "", position: expr.position)
            result.steps = [expr]
            if expr.keepArray { result.keepSingletonArray = true }
        case "parent":
            result = Node(type: "parent", id: "%", value: "%", position: expr.position)
            result.slot = Node.Slot(label: "!\(ancestorLabel)", level: 1, index: ancestorIndex)
            ancestorLabel += 1
            ancestorIndex += 1
        case "string", "number", "value", "wildcard", "descendant", "variable", "regex":
            result = expr
        case "operator":
            if expr.value == "and" || expr.value == "or" || expr.value == "in" {
                expr.type = "name"
                result = try processAST(expr)
            } else if expr.value == "?" {
                result = expr
            } else {
                throw JSONataError(code: "S0201", message: "Syntax error: \(expr.value)", position: expr.position)
            }
        default:
            let code = expr.id == "(end)" ? "S0207" : "S0206"
            throw JSONataError.make(code, position: expr.position)
        }
        if expr.keepArray { result.keepArray = true }
        return result
    }

    // MARK: freeze

    private static func freeze(_ n: Node, _ stack: StackBudget) throws(JSONataError) -> JSONataNode {
        if stack.isExhausted { throw JSONataError(code: "U1001", message: "Expression too deeply nested", position: n.position) }
        let core = try freezeCore(n, stack)
        var predicates: [JSONataNode] = []
        for stage in n.predicate ?? [] {
            if case .filter(let e, _) = stage { predicates.append(try freeze(e, stack)) }
        }
        var group: JSONataGroup? = nil
        if n.type != "path", let g = n.group { group = try freezeGroup(g.pairs, g.position, stack) }
        if predicates.isEmpty, group == nil, !n.keepArray { return core }
        return .decorated(core, JSONataDecoration(predicates: predicates, group: group, keepArray: n.keepArray))
    }

    private static func freezeGroup(_ pairs: [(Node, Node)], _ position: Int, _ stack: StackBudget) throws(JSONataError) -> JSONataGroup {
        var out: [(JSONataNode, JSONataNode)] = []
        for (k, v) in pairs { out.append((try freeze(k, stack), try freeze(v, stack))) }
        return JSONataGroup(pairs: out, position: position)
    }

    private static func freezeStep(_ n: Node, _ stack: StackBudget) throws(JSONataError) -> JSONataStep {
        var stages: [JSONataStage] = []
        for stage in n.stages ?? [] {
            switch stage {
            case .filter(let e, _): stages.append(.filter(try freeze(e, stack)))
            case .index(let name, _): stages.append(.index(name))
            }
        }
        return JSONataStep(
            node: try freeze(n, stack), stages: stages, focus: n.focus, index: n.index, tuple: n.tuple,
            ancestor: n.ancestor?.label, consArray: n.consarray, isVariable: n.type == "variable")
    }

    private static func name(of procedure: Node) -> String? {
        if procedure.type == "path", let first = procedure.steps.first { return first.value }
        return procedure.value
    }

    private static func freezeCore(_ n: Node, _ stack: StackBudget) throws(JSONataError) -> JSONataNode {
        switch n.type {
        case "path":
            var steps: [JSONataStep] = []
            for s in n.steps { steps.append(try freezeStep(s, stack)) }
            var group: JSONataGroup? = nil
            if let g = n.group { group = try freezeGroup(g.pairs, g.position, stack) }
            return .path(JSONataPath(steps: steps, keepSingletonArray: n.keepSingletonArray, tuple: n.tuple, group: group))
        case "name": return .name(n.value)
        case "string": return .string(n.value)
        case "number": return .number(n.number)
        case "value":
            switch n.value {
            case "true": return .literal(true)
            case "false": return .literal(false)
            default: return .literal(nil)
            }
        case "wildcard": return .wildcard
        case "descendant": return .descendant
        case "parent": return .parent(label: n.slot?.label ?? "")
        case "variable": return .variable(n.value)
        case "regex": return .regex(try JSONataRegex(pattern: n.value, flags: n.flags, position: n.position))
        case "binary":
            guard let op = JSONataBinaryOperator(rawValue: n.value) else {
                throw JSONataError(code: "S0201", message: "Syntax error: \(n.value)", position: n.position)
            }
            return .binary(op, try freeze(n.lhs!, stack), try freeze(n.rhs!, stack), position: n.position)
        case "unary":
            switch n.value {
            case "-": return .negate(try freeze(n.expression!, stack), position: n.position)
            case "[":
                var items: [JSONataNode] = []
                for e in n.expressions { items.append(try freeze(e, stack)) }
                let isArrayItem = n.expressions.map { $0.type == "unary" && $0.value == "[" }
                return .arrayConstructor(items: items, isArrayItem: isArrayItem, cons: n.consarray)
            default:
                return .objectConstructor(try freezeGroup(n.pairs, n.position, stack))
            }
        case "condition":
            return .condition(try freeze(n.condition!, stack), try freeze(n.then!, stack), try n.otherwise.map { (e) throws(JSONataError) in try freeze(e, stack) })
        case "coalesce": return .coalesce(try freeze(n.condition!, stack), try freeze(n.otherwise!, stack))
        case "elvis": return .elvis(try freeze(n.condition!, stack), try freeze(n.otherwise!, stack))
        case "block":
            var items: [JSONataNode] = []
            for e in n.expressions { items.append(try freeze(e, stack)) }
            return .block(items)
        case "bind": return .bind(n.value, try freeze(n.rhs!, stack))
        case "function":
            var args: [JSONataNode] = []
            for a in n.arguments { args.append(try freeze(a, stack)) }
            return .call(procedure: try freeze(n.procedure!, stack), arguments: args, name: name(of: n.procedure!), position: n.position)
        case "partial":
            var args: [JSONataNode?] = []
            for a in n.arguments {
                if a.type == "operator", a.value == "?" { args.append(nil) } else { args.append(try freeze(a, stack)) }
            }
            return .partial(procedure: try freeze(n.procedure!, stack), arguments: args, name: name(of: n.procedure!), position: n.position)
        case "lambda":
            let def = JSONataLambdaDefinition(
                parameters: n.arguments.map(\.value), signature: n.signature, body: try freeze(n.body!, stack),
                thunk: n.thunk, position: n.position)
            return .lambda(def)
        case "apply": return .apply(try freeze(n.lhs!, stack), try freeze(n.rhs!, stack), position: n.position)
        case "transform":
            return .transform(
                pattern: try freeze(n.pattern!, stack), update: try freeze(n.update!, stack),
                delete: try n.delete.map { (e) throws(JSONataError) in try freeze(e, stack) }, position: n.position)
        case "sort":
            var terms: [JSONataSortTerm] = []
            for (d, e) in n.terms { terms.append(JSONataSortTerm(descending: d, expression: try freeze(e, stack))) }
            return .sort(terms, position: n.position)
        case "operator" where n.value == "?":
            throw JSONataError(code: "S0201", message: "Syntax error: ?", position: n.position)
        default:
            let code = n.id == "(end)" ? "S0207" : "S0206"
            throw JSONataError.make(code, position: n.position)
        }
    }
}
