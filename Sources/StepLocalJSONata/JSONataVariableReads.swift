/// Which members of each `$variable` an expression can read, worked out once from the compiled
/// tree. It lets a host leave out members that nothing reads: Step Functions binds `$states`, whose
/// `context` member is costly to build and seldom read.
///
/// Only `$name.member...` paths count as member reads. Any other use of `$name` (alone, as an
/// argument, `$name.*`, `$name[...]`, a rebinding or a parameter of that name) may see the whole
/// value, and `$eval` or the parent operator `%` may reach anything.
struct JSONataVariableReads: Sendable {
    private enum Reads: Sendable {
        case whole
        case only(Set<String>)
    }

    private var reads: [String: Reads] = [:]
    private var dynamic = false

    init(_ root: JSONataNode) {
        visit(root)
    }

    /// The members of `$name` the expression can read (empty when it never mentions `$name`), or
    /// `nil` when it may see the whole value.
    func members(of name: String) -> Set<String>? {
        if dynamic { return nil }
        switch reads[name] {
        case nil: return []
        case .whole?: return nil
        case .only(let keys)?: return keys
        }
    }

    private mutating func whole(_ name: String) {
        reads[name] = .whole
    }

    private mutating func read(_ name: String, member: String) {
        switch reads[name] {
        case nil: reads[name] = .only([member])
        case .only(var keys)?:
            keys.insert(member)
            reads[name] = .only(keys)
        case .whole?: break
        }
    }

    private mutating func visit(_ node: JSONataNode) {
        switch node {
        case .path(let path):
            visit(path)
        case .variable(let name):
            if name == "eval" { dynamic = true }
            // `$` is the context and `$$` the input: not variables a host binds.
            if !name.isEmpty, name != "$" { whole(name) }
        case .parent:
            dynamic = true
        case .name, .string, .number, .literal, .wildcard, .descendant, .regex:
            break
        case .binary(_, let l, let r, _), .coalesce(let l, let r), .elvis(let l, let r), .apply(let l, let r, _):
            visit(l)
            visit(r)
        case .negate(let e, _):
            visit(e)
        case .arrayConstructor(let items, _, _):
            items.forEach { visit($0) }
        case .objectConstructor(let group):
            visit(group)
        case .condition(let c, let t, let e):
            visit(c)
            visit(t)
            if let e { visit(e) }
        case .block(let expressions):
            expressions.forEach { visit($0) }
        case .bind(let name, let value):
            whole(name)
            visit(value)
        case .call(let procedure, let arguments, _, _):
            visit(procedure)
            arguments.forEach { visit($0) }
        case .partial(let procedure, let arguments, _, _):
            visit(procedure)
            arguments.forEach { if let a = $0 { visit(a) } }
        case .lambda(let definition):
            definition.parameters.forEach { whole($0) }
            visit(definition.body)
        case .transform(let pattern, let update, let delete, _):
            visit(pattern)
            visit(update)
            if let delete { visit(delete) }
        case .sort(let terms, _):
            terms.forEach { visit($0.expression) }
        case .decorated(let inner, let decoration):
            visit(inner)
            decoration.predicates.forEach { visit($0) }
            if let group = decoration.group { visit(group) }
        }
    }

    private mutating func visit(_ group: JSONataGroup) {
        for (key, value) in group.pairs {
            visit(key)
            visit(value)
        }
    }

    private mutating func visit(_ path: JSONataPath) {
        let steps = path.steps
        // `$name.member`: a plain variable step followed by a field name.
        var memberRead = false
        if steps.count >= 2, case .variable(let name) = steps[0].node, !name.isEmpty, name != "$", name != "eval",
           Self.isPlain(steps[0]), case .name(let member) = steps[1].node {
            read(name, member: member)
            memberRead = true
        }
        for (i, step) in steps.enumerated() {
            if !(memberRead && i < 2) { visit(step.node) }
            for stage in step.stages {
                switch stage {
                case .filter(let e): visit(e)
                case .index(let name): whole(name)
                }
            }
            if let focus = step.focus { whole(focus) }
            if let index = step.index { whole(index) }
        }
        if let group = path.group { visit(group) }
    }

    private static func isPlain(_ step: JSONataStep) -> Bool {
        step.stages.isEmpty && step.focus == nil && step.index == nil && !step.tuple && step.ancestor == nil && !step.consArray
    }
}
