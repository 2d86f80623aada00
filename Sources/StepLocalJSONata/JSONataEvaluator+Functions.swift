import OrderedCollections
import StepLocalJSON

/// Function invocation for ``JSONataEvaluator``: calls, the tail-call trampoline, partial
/// application, `~>`, transforms and host functions.
extension JSONataEvaluator {
    private func procedureName(_ node: JSONataNode) -> String? {
        if case .path(let p) = node, p.steps.count == 1, case .name(let n) = p.steps[0].node { return n }
        return nil
    }

    func evaluateCall(_ procedure: JSONataNode, _ arguments: [JSONataNode], _ name: String?, _ position: Int, _ input: JSONataValue?, _ env: JSONataFrame, applyTo: JSONataValue??) throws(JSONataError) -> JSONataValue? {
        let proc = try evaluate(procedure, input, env)
        if proc == nil, let n = procedureName(procedure), isBound(n, env) {
            throw JSONataError(code: "T1005", message: "Attempted to invoke a non-function. Did you mean $\(n)?", position: position)
        }
        var args: [JSONataValue?] = []
        args.reserveCapacity(arguments.count + 1)
        if let applyTo { args.append(applyTo) }
        for a in arguments { args.append(try evaluate(a, input, env)) }
        do {
            return try apply(proc, args, input, env)
        } catch {
            throw error.at(position)
        }
    }

    func apply(_ proc: JSONataValue?, _ args: [JSONataValue?], _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        var result = try applyInner(proc, args, input, env)
        while case .function(.lambda(let thunk))? = result, thunk.thunk {
            guard case .call(let procedure, let arguments, _, let position) = thunk.body else { break }
            let next = try evaluate(procedure, thunk.input, thunk.frame)
            var evaluated: [JSONataValue?] = []
            for a in arguments { evaluated.append(try evaluate(a, thunk.input, thunk.frame)) }
            do {
                result = try applyInner(next, evaluated, input, env)
            } catch {
                throw error.at(position)
            }
        }
        return result
    }

    func call(_ fn: JSONataCallable, _ args: [JSONataValue?]) throws(JSONataError) -> JSONataValue? {
        try apply(.function(fn), args, nil, root)
    }

    /// Calls a callback with as many of (value, index, array) as it accepts.
    func callHOF(_ fn: JSONataCallable, _ value: JSONataValue?, _ index: Int, _ array: JSONataValue) throws(JSONataError) -> JSONataValue? {
        let arity = fn.arity
        var args: [JSONataValue?] = [value]
        if arity >= 2 { args.append(.number(Double(index))) }
        if arity >= 3 { args.append(array) }
        return try call(fn, args)
    }

    private func applyInner(_ proc: JSONataValue?, _ args: [JSONataValue?], _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        guard case .function(let fn)? = proc else {
            throw JSONataError.make("T1006")
        }
        var validated = args
        if let sig = fn.signature {
            var context = input
            if case .array(let items, let f)? = input, f.contains(.outerWrapper), let first = items.first { context = first }
            validated = try sig.validate(args, context: context)
        }
        switch fn {
        case .lambda(let c):
            let frame = JSONataFrame(parent: c.frame)
            for (i, p) in c.parameters.enumerated() {
                frame.bind(p, i < validated.count ? validated[i] : nil)
            }
            return try evaluate(c.body, c.input, frame)
        case .builtin(let b):
            return try b.body(self, validated, input)
        case .host(_, let function, _):
            let jsonArgs = validated.map { $0?.toJSON() }
            return try function.body(jsonArgs).map(JSONataValue.init)
        case .partial(let base, let bound, let holes):
            var full: [JSONataValue?] = []
            var k = 0
            for (i, b) in bound.enumerated() {
                if holes[i] {
                    full.append(k < validated.count ? validated[k] : nil)
                    k += 1
                } else {
                    full.append(b)
                }
            }
            return try apply(.function(base), full, input, env)
        case .regex(let r):
            guard case .string(let s)? = validated.first ?? nil else { return nil }
            return try JSONataEvaluator.matchObject(r, s, from: 0, stoppingWhen: self)
        case .transformer(let pattern, let update, let delete, let frame, let position):
            return try transform(validated.first ?? nil, pattern, update, delete, frame, position)
        case .chain(let f, let g):
            let mid = try apply(.function(f), validated, input, env)
            return try apply(.function(g), [mid], input, env)
        }
    }

    /// The match object a regex returns when called as a function (`{match,start,end,groups,next}`).
    static func matchObject(_ r: JSONataRegex, _ s: String, from: Int, stoppingWhen evaluator: JSONataEvaluator) throws(JSONataError) -> JSONataValue? {
        let all = try r.matches(in: s, stoppingWhen: evaluator)
        guard let m = all.first(where: { $0.start >= from }) else { return nil }
        var o = OrderedDictionary<String, JSONataValue>()
        o["match"] = .string(m.match)
        o["start"] = .number(Double(m.start))
        o["end"] = .number(Double(m.end))
        o["groups"] = .array(m.groups.map { .string($0) }, [])
        return .object(o)
    }

    func evaluatePartial(_ procedure: JSONataNode, _ arguments: [JSONataNode?], _ name: String?, _ position: Int, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        var args: [JSONataValue?] = []
        var holes: [Bool] = []
        for a in arguments {
            if let a {
                args.append(try evaluate(a, input, env))
                holes.append(false)
            } else {
                args.append(nil)
                holes.append(true)
            }
        }
        let proc = try evaluate(procedure, input, env)
        if proc == nil, let n = procedureName(procedure), isBound(n, env) {
            throw JSONataError(code: "T1007", message: "Attempted to partially apply a non-function. Did you mean $\(n)?", position: position)
        }
        guard case .function(let fn)? = proc else {
            throw JSONataError.make("T1008", position: position)
        }
        if case .lambda(let c) = fn {
            let frame = JSONataFrame(parent: c.frame)
            var unbound: [String] = []
            for (i, p) in c.parameters.enumerated() {
                if i < holes.count, !holes[i] {
                    frame.bind(p, args[i])
                } else {
                    unbound.append(p)
                }
            }
            return .function(.lambda(JSONataClosure(parameters: unbound, signature: nil, body: c.body, input: c.input, frame: frame, thunk: false)))
        }
        return .function(.partial(fn, args, holes: holes))
    }

    func evaluateApply(_ lhsNode: JSONataNode, _ rhsNode: JSONataNode, _ position: Int, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        let lhs = try evaluate(lhsNode, input, env)
        var rhsCore = rhsNode
        if case .decorated(let inner, let d) = rhsNode, d.predicates.isEmpty, d.group == nil { rhsCore = inner }
        if case .call(let procedure, let arguments, let name, let callPosition) = rhsCore {
            let r = try evaluateCall(procedure, arguments, name, callPosition, input, env, applyTo: .some(lhs))
            if case .decorated(_, let d) = rhsNode, d.keepArray, let r {
                if case .array(let items, var f) = r {
                    f.insert(.keepSingleton)
                    return .array(items, f)
                }
                return .array([r], [.sequence, .keepSingleton])
            }
            return r
        }
        let fnValue = try evaluate(rhsNode, input, env)
        guard case .function(let g)? = fnValue else {
            throw JSONataError.make("T2006", position: position)
        }
        if case .function(let f)? = lhs {
            return .function(.chain(f, g))
        }
        return try apply(fnValue, [lhs], nil, env)
    }

    private func transform(_ obj: JSONataValue?, _ pattern: JSONataNode, _ update: JSONataNode, _ delete: JSONataNode?, _ env: JSONataFrame, _ position: Int) throws(JSONataError) -> JSONataValue? {
        guard let obj else { return nil }
        // Work on a mutable deep copy: every container becomes a reference box so matches found by
        // the pattern can be updated in place, as jsonata-js does on its cloned object.
        let clone = JSONataMutableNode.make(from: obj)
        let matches = try evaluate(pattern, clone.value, env)
        if let matches {
            for match in matches.asItems {
                guard let box = clone.box(of: match) else {
                    if try evaluate(update, match, env) != nil {}
                    continue
                }
                if let upd = try evaluate(update, box.value, env) {
                    guard let entries = upd.objectEntries else {
                        throw JSONataError.make("T2011", position: position)
                    }
                    for (k, v) in entries { box.set(k, v) }
                }
                if let delete, let dels = try evaluate(delete, box.value, env) {
                    let names = dels.asItems
                    guard names.allSatisfy(\.isString) else {
                        throw JSONataError.make("T2012", position: position)
                    }
                    for n in names { if case .string(let s) = n { box.remove(s) } }
                }
            }
        }
        return clone.freeze()
    }
}
