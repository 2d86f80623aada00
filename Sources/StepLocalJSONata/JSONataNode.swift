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

/// A path's steps plus flags from the post-parse stage.
struct JSONataPath: Sendable {
    var steps: [JSONataStep]
    var keepSingletonArray: Bool
    /// The path returns its tuple stream (a parent operator further out needs the bindings).
    var tuple: Bool
    var group: JSONataGroup?
}

/// One step of a path with its stages and tuple bindings.
struct JSONataStep: Sendable {
    var node: JSONataNode
    var stages: [JSONataStage]
    var focus: String?
    var index: String?
    var tuple: Bool
    var ancestor: String?
    var consArray: Bool
    var isVariable: Bool
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
