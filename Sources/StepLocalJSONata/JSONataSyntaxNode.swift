/// The mutable parse tree the Pratt parser builds and the post-parse stage rewrites in place
/// (jsonata-js's `processAST` annotates nodes it has already visited, e.g. parent slots), before it
/// is frozen into the immutable ``JSONataNode``.
final class JSONataSyntaxNode {
    var type: String
    var id: String
    var value: String
    var number: Double = 0
    var flags: String = ""
    var position: Int

    var lhs: JSONataSyntaxNode?
    var rhs: JSONataSyntaxNode?
    var expression: JSONataSyntaxNode?
    var expressions: [JSONataSyntaxNode] = []
    var pairs: [(JSONataSyntaxNode, JSONataSyntaxNode)] = []
    var procedure: JSONataSyntaxNode?
    var arguments: [JSONataSyntaxNode] = []
    var signature: JSONataSignature?
    var body: JSONataSyntaxNode?
    var condition: JSONataSyntaxNode?
    var then: JSONataSyntaxNode?
    var otherwise: JSONataSyntaxNode?
    var pattern: JSONataSyntaxNode?
    var update: JSONataSyntaxNode?
    var delete: JSONataSyntaxNode?
    var steps: [JSONataSyntaxNode] = []
    var terms: [(Bool, JSONataSyntaxNode)] = []

    /// Predicates on a non-path node (`$x[0]`), evaluated right after the node.
    var predicate: [Stage]?
    /// Predicates and index bindings on a path step.
    var stages: [Stage]?
    var group: (pairs: [(JSONataSyntaxNode, JSONataSyntaxNode)], position: Int)?
    var keepArray = false
    var keepSingletonArray = false
    var consarray = false
    var tuple = false
    var thunk = false
    var focus: String?
    var index: String?
    var ancestor: Slot?
    var slot: Slot?
    var seekingParent: [Slot]?
    /// Levels of nodes below and including this one, as the parser builds them: the walks after
    /// parsing (post-processing, freezing, evaluation, release) recurse this deep.
    var height = 1

    enum Stage {
        case filter(JSONataSyntaxNode, Int)
        case index(String, Int)
    }

    /// A parent-operator slot: the label its value is bound under and how many steps up it is.
    final class Slot {
        var label: String
        var level: Int
        let index: Int
        init(label: String, level: Int, index: Int) {
            self.label = label
            self.level = level
            self.index = index
        }
    }

    /// The direct children the Pratt parser links (before post-processing adds steps and stages).
    var parsedChildren: [JSONataSyntaxNode] {
        var children: [JSONataSyntaxNode] = []
        for child in [lhs, rhs, expression, procedure, body, condition, then, otherwise, pattern, update, delete] {
            if let child { children.append(child) }
        }
        children.append(contentsOf: expressions)
        children.append(contentsOf: arguments)
        for (key, value) in pairs { children.append(key); children.append(value) }
        for (_, term) in terms { children.append(term) }
        return children
    }

    init(type: String, id: String, value: String, position: Int) {
        self.type = type
        self.id = id
        self.value = value
        self.position = position
    }
}
