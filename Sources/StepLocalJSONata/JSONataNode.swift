/// The compiled expression tree the evaluator walks. It is produced once per expression by
/// ``JSONataParser`` after jsonata-js's post-parse rewriting (paths flattened into steps, predicates
/// attached as stages, parent slots resolved), so evaluation does no syntax work.
indirect enum JSONataNode: Sendable {
    /// A location path: steps applied left to right, each over every item of the previous result.
    case path(JSONataPath)
    /// A field name looked up in the context item (mapping over arrays).
    case name(String)
    /// A string literal.
    case string(String)
    /// A number literal.
    case number(Double)
    /// `true`, `false` (`.bool`) or `null` (`nil`).
    case literal(Bool?)
    /// `*`: the values of all fields of the context object.
    case wildcard
    /// `**`: the context and all its descendants.
    case descendant
    /// `%`: the parent item, bound under the slot label by an enclosing path's tuple stream.
    case parent(label: String)
    /// `$name`, `$` (context) or `$$` (root).
    case variable(String)
    /// A `/regex/flags` literal.
    case regex(JSONataRegex)
    /// An infix operator with both operands.
    case binary(JSONataBinaryOperator, JSONataNode, JSONataNode, position: Int)
    /// Unary minus.
    case negate(JSONataNode, position: Int)
    /// `[a, b, ...]`; `isArrayItem` per item tells whether it was itself written as `[...]`.
    case arrayConstructor(items: [JSONataNode], isArrayItem: [Bool], cons: Bool)
    /// `{k: v, ...}` applied to the context (grouping when the context is a sequence).
    case objectConstructor(JSONataGroup)
    /// `cond ? then : else`.
    case condition(JSONataNode, JSONataNode, JSONataNode?)
    /// `a ?? b`: `a` unless it is undefined.
    case coalesce(JSONataNode, JSONataNode)
    /// `a ?: b`: `a` when truthy, else `b`.
    case elvis(JSONataNode, JSONataNode)
    /// `(e1; e2; ...)` with its own variable scope.
    case block([JSONataNode])
    /// `$name := value`.
    case bind(String, JSONataNode)
    /// `f(args)`; `name` is the procedure's name for error messages.
    case call(procedure: JSONataNode, arguments: [JSONataNode], name: String?, position: Int)
    /// `f(a, ?, c)`: partial application (`nil` marks a `?` placeholder).
    case partial(procedure: JSONataNode, arguments: [JSONataNode?], name: String?, position: Int)
    /// `function($a, $b)<sig>{ body }`.
    case lambda(JSONataLambdaDefinition)
    /// `a ~> f`: applies `f` with `a` as first argument (or composes functions).
    case apply(JSONataNode, JSONataNode, position: Int)
    /// `| pattern | update, delete |`: a function that returns a modified copy of its argument.
    case transform(pattern: JSONataNode, update: JSONataNode, delete: JSONataNode?, position: Int)
    /// `^(terms)`: order-by, only ever a path step.
    case sort([JSONataSortTerm], position: Int)
    /// A node with post-parse decorations: filter predicates, a group-by object, `[]` keep-array.
    case decorated(JSONataNode, JSONataDecoration)
}

/// Operators of binary nodes.
enum JSONataBinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case concat = "&", and, or, range = "..", inclusion = "in"
}

/// A path's steps plus flags from the post-parse stage (a class so matching it costs one retain).
final class JSONataPath: Sendable {
    let steps: [JSONataStep]
    let keepSingletonArray: Bool
    /// The path returns its tuple stream (a parent operator further out needs the bindings).
    let tuple: Bool
    let group: JSONataGroup?
    /// Leading steps that are plain field names (no stages or bindings): walked without sequences.
    let simplePrefix: Int

    init(steps: [JSONataStep], keepSingletonArray: Bool, tuple: Bool, group: JSONataGroup?) {
        self.steps = steps
        self.keepSingletonArray = keepSingletonArray
        self.tuple = tuple
        self.group = group
        var n = 0
        for s in steps {
            guard s.stages.isEmpty, s.focus == nil, s.index == nil, !s.tuple, s.ancestor == nil, !s.consArray else { break }
            if case .name = s.node { n += 1 } else if n == 0, case .variable(let v) = s.node, !v.isEmpty { n += 1 } else { break }
        }
        simplePrefix = (keepSingletonArray || tuple || group != nil) ? 0 : n
    }
}

/// One step of a path with its stages and tuple bindings.
final class JSONataStep: Sendable {
    let node: JSONataNode
    let stages: [JSONataStage]
    let focus: String?
    let index: String?
    let tuple: Bool
    let ancestor: String?
    let consArray: Bool
    let isVariable: Bool

    init(node: JSONataNode, stages: [JSONataStage], focus: String?, index: String?, tuple: Bool, ancestor: String?, consArray: Bool, isVariable: Bool) {
        self.node = node
        self.stages = stages
        self.focus = focus
        self.index = index
        self.tuple = tuple
        self.ancestor = ancestor
        self.consArray = consArray
        self.isVariable = isVariable
    }
}

/// A predicate filter or a `#$i` index binding applied after a step.
enum JSONataStage: Sendable {
    case filter(JSONataNode)
    case index(String)
}

/// Decorations evaluated after a node, in jsonata-js's order.
struct JSONataDecoration: Sendable {
    var predicates: [JSONataNode]
    var group: JSONataGroup?
    var keepArray: Bool
}

/// The key/value pairs of an object constructor or group-by.
struct JSONataGroup: Sendable {
    var pairs: [(JSONataNode, JSONataNode)]
    var position: Int
}

/// One term of an order-by clause.
struct JSONataSortTerm: Sendable {
    var descending: Bool
    var expression: JSONataNode
}

/// A lambda's parameters, signature and body; `thunk` marks a tail call wrapped by the optimiser.
final class JSONataLambdaDefinition: Sendable {
    let parameters: [String]
    let signature: JSONataSignature?
    let body: JSONataNode
    let thunk: Bool
    let position: Int

    init(parameters: [String], signature: JSONataSignature?, body: JSONataNode, thunk: Bool, position: Int) {
        self.parameters = parameters
        self.signature = signature
        self.body = body
        self.thunk = thunk
        self.position = position
    }
}
