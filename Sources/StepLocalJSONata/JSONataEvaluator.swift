import Foundation
import OrderedCollections
import StepLocalJSON

/// Walks a compiled ``JSONataNode`` tree for one evaluation, following jsonata-js's semantics
/// (sequence flattening, tuple streams for `@`/`#`/`%`, tail calls). One instance per evaluation:
/// it carries the depth/step counters that bound runaway expressions and the fixed `$now` timestamp.
final class JSONataEvaluator {
    let limits: JSONataLimits
    let timestamp: Int64
    private(set) var depth = 0
    private var steps = 0
    let root: JSONataFrame

    /// When the evaluation must stop (monotonic nanoseconds), from ``JSONataLimits/maximumMilliseconds``.
    private let deadline: UInt64
    /// How far below the evaluation's first frame the stack may grow.
    private let stack: StackBudget

    init(limits: JSONataLimits, timestamp: Int64, root: JSONataFrame) {
        self.limits = limits
        self.timestamp = timestamp
        self.root = root
        deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, limits.maximumMilliseconds)) &* 1_000_000
        stack = StackBudget(bytes: limits.maximumStackBytes)
    }

    /// True once the evaluation is past its time or its task was cancelled (StopExecution, the
    /// execution's timeout): long loops and regular expressions stop on it.
    var mustStop: Bool {
        DispatchTime.now().uptimeNanoseconds > deadline || Task.isCancelled
    }

    /// Stops the evaluation with `U1001` when ``mustStop``.
    func checkTime() throws(JSONataError) {
        if mustStop { throw JSONataEvaluator.timeout }
    }

    static let timeout = JSONataError(code: "U1001", message: "Expression evaluation timeout: Check for infinite loop")

    /// Refuses a string longer than ``JSONataLimits/maximumStringBytes`` before it is built.
    static func checkStringSize(_ bytes: Int, position: Int? = nil) throws(JSONataError) {
        if bytes > JSONataLimits.maximumStringBytes { throw JSONataError.make("U1003", position: position) }
    }

    // MARK: entry

    func evaluate(_ node: JSONataNode, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        depth += 1
        steps += 1
        defer { depth -= 1 }
        if depth > limits.maximumDepth || steps > limits.maximumSteps || stack.isExhausted {
            throw JSONataError.make("U1001")
        }
        if steps & 1023 == 0 { try checkTime() }
        var result: JSONataValue?
        var keepArray = false
        if case .decorated(let inner, let deco) = node {
            result = try evaluateCore(inner, input, env)
            for p in deco.predicates { result = try evaluateFilter(p, result, env) }
            if let g = deco.group { result = try evaluateGroup(g, result, env) }
            keepArray = deco.keepArray
        } else {
            result = try evaluateCore(node, input, env)
        }
        if case .array(let items, var flags)? = result, flags.contains(.sequence) {
            if keepArray { flags.insert(.keepSingleton) }
            if items.isEmpty { return nil }
            if items.count == 1 { return flags.contains(.keepSingleton) ? .array(items, flags) : items[0] }
            if keepArray { return .array(items, flags) }
        }
        return result
    }

    private func evaluateCore(_ node: JSONataNode, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        switch node {
        case .path(let p): return try evaluatePath(p, input, env)
        case .name(let key): return JSONataEvaluator.lookup(input, key)
        case .string(let s): return .string(s)
        case .number(let d): return .number(d)
        case .literal(let b):
            if let b { return .bool(b) }
            return .null
        case .wildcard: return evaluateWildcard(input)
        case .descendant: return evaluateDescendants(input)
        case .parent(let label): return lookupVariable(label, env)
        case .variable(let name):
            if name.isEmpty {
                if case .array(let items, let f)? = input, f.contains(.outerWrapper), let first = items.first { return first }
                return input
            }
            return lookupVariable(name, env)
        case .regex(let r): return .function(.regex(r))
        case .binary(let op, let lhs, let rhs, let position):
            return try evaluateBinary(op, lhs, rhs, position, input, env)
        case .negate(let e, let position):
            guard let v = try evaluate(e, input, env) else { return nil }
            guard case .number(let d) = v else {
                throw JSONataError.make("D1002", position: position)
            }
            return .number(-d)
        case .arrayConstructor(let items, let isArrayItem, let cons):
            var out: [JSONataValue] = []
            for (i, item) in items.enumerated() {
                guard let v = try evaluate(item, input, env) else { continue }
                if isArrayItem[i] {
                    out.append(v)
                } else if let elems = v.arrayItems {
                    out.append(contentsOf: elems)
                } else {
                    out.append(v)
                }
            }
            try JSONataEvaluator.checkConstructedNesting(of: out, position: nil)
            return .array(out, cons ? .cons : [])
        case .objectConstructor(let g): return try evaluateGroup(g, input, env)
        case .condition(let c, let t, let e):
            let cond = try evaluate(c, input, env)
            if JSONataEvaluator.boolean(cond) { return try evaluate(t, input, env) }
            if let e { return try evaluate(e, input, env) }
            return nil
        case .coalesce(let l, let r):
            if let v = try evaluate(l, input, env) { return v }
            return try evaluate(r, input, env)
        case .elvis(let l, let r):
            let v = try evaluate(l, input, env)
            if JSONataEvaluator.boolean(v) { return v }
            return try evaluate(r, input, env)
        case .block(let exprs):
            let frame = JSONataFrame(parent: env)
            var result: JSONataValue?
            for e in exprs { result = try evaluate(e, input, frame) }
            return result
        case .bind(let name, let e):
            let v = try evaluate(e, input, env)
            env.bind(name, v)
            return v
        case .call(let procedure, let arguments, let name, let position):
            return try evaluateCall(procedure, arguments, name, position, input, env, applyTo: nil)
        case .partial(let procedure, let arguments, let name, let position):
            return try evaluatePartial(procedure, arguments, name, position, input, env)
        case .lambda(let def):
            return .function(.lambda(JSONataClosure(
                parameters: def.parameters, signature: def.signature, body: def.body, input: input, frame: env, thunk: def.thunk)))
        case .apply(let l, let r, let position):
            return try evaluateApply(l, r, position, input, env)
        case .transform(let pattern, let update, let delete, let position):
            return .function(.transformer(pattern: pattern, update: update, delete: delete, frame: env, position: position))
        case .sort(let terms, let position):
            return try evaluateSort(terms, position, input?.asItems ?? [], env)
        case .decorated(let inner, _):
            return try evaluate(inner, input, env)
        }
    }

    func lookupVariable(_ name: String, _ env: JSONataFrame) -> JSONataValue? {
        if let v = env.lookup(name) { return v }
        if let b = JSONataBuiltins.table[name] { return .function(.builtin(b)) }
        return nil
    }

    func isBound(_ name: String, _ env: JSONataFrame) -> Bool {
        lookupVariable(name, env) != nil
    }

    // MARK: paths

    private func evaluatePath(_ path: JSONataPath, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        // Fast path: walk leading plain field names while the context is a single non-array item.
        var start = 0
        var current = input
        if path.simplePrefix > 0 {
            while start < path.simplePrefix {
                let step = path.steps[start]
                if case .variable(let v) = step.node {
                    current = lookupVariable(v, env)
                } else if let c = current, !c.isArray, case .name(let key) = step.node {
                    current = JSONataEvaluator.lookup(c, key)
                } else {
                    break
                }
                start += 1
                guard let c = current else { return nil }
                if start == path.steps.count { return c }
                if case .array(_, let f) = c, f.contains(.sequence) { return try evaluatePathFrom(path, start, c.asItems, false, env) }
            }
            if start == path.steps.count { return current }
            if start > 0 {
                guard let c = current else { return nil }
                return try evaluatePathFrom(path, start, c.asItems, false, env)
            }
        }
        var inputs: [JSONataValue]
        var undefinedInput = false
        if let input, input.isArray, !path.steps[0].isVariable {
            inputs = input.arrayItems ?? []
        } else if let input {
            inputs = [input]
        } else {
            inputs = []
            undefinedInput = true
        }
        return try evaluatePathFrom(path, 0, inputs, undefinedInput, env)
    }

    private func evaluatePathFrom(_ path: JSONataPath, _ first: Int, _ initialInputs: [JSONataValue], _ initialUndefined: Bool, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        var inputs = initialInputs
        var undefinedInput = initialUndefined
        var result: JSONataValue? = nil
        var isTuple = false
        var tuples: [JSONataTuple]? = nil
        let last = path.steps.count - 1
        for ii in first..<path.steps.count {
            let step = path.steps[ii]
            if step.tuple { isTuple = true }
            if ii == 0, step.consArray {
                result = try evaluate(step.node, undefinedInput ? nil : .array(inputs, .sequence), env)
            } else if isTuple {
                tuples = try evaluateTupleStep(step, inputs, undefinedInput, tuples, env)
            } else {
                result = try evaluateStep(step, inputs, undefinedInput, env, lastStep: ii == last)
            }
            if !isTuple {
                guard let r = result else { break }
                if r.isArray, r.arrayCount == 0 { break }
            }
            if step.focus == nil, !isTuple {
                inputs = result?.asItems ?? []
                undefinedInput = false
            }
        }
        if isTuple {
            let ts = tuples ?? []
            if path.tuple {
                result = .tuples(ts)
            } else {
                result = .array(ts.compactMap(\.context), .sequence)
            }
        }
        if path.keepSingletonArray {
            if case .array(let items, var flags)? = result {
                if flags.contains(.cons), !flags.contains(.sequence) {
                    result = .array([.array(items, flags)], [.sequence, .keepSingleton])
                } else {
                    flags.insert(.keepSingleton)
                    result = .array(items, flags)
                }
            } else if case .jsonArray(let a)? = result {
                result = .array(a.map(JSONataValue.init), [.keepSingleton])
            }
        }
        if let g = path.group {
            result = try evaluateGroup(g, isTuple ? .tuples(tuples ?? []) : result, env)
        }
        return result
    }

    private func evaluateStep(_ step: JSONataStep, _ inputs: [JSONataValue], _ undefinedInput: Bool, _ env: JSONataFrame, lastStep: Bool) throws(JSONataError) -> JSONataValue? {
        if case .sort(let terms, let position) = step.node {
            var result: JSONataValue? = try evaluateSort(terms, position, inputs, env)
            for stage in step.stages {
                if case .filter(let e) = stage { result = try evaluateFilter(e, result, env) }
            }
            return result
        }
        var results: [JSONataValue] = []
        results.reserveCapacity(inputs.count)
        if undefinedInput {
            if var res = try evaluate(step.node, nil, env) as JSONataValue? {
                for stage in step.stages {
                    if case .filter(let e) = stage { res = try evaluateFilter(e, res, env) ?? .sequence() }
                }
                results.append(res)
            }
        } else {
            for item in inputs {
                var res = try evaluate(step.node, item, env)
                if !step.stages.isEmpty {
                    for stage in step.stages {
                        if case .filter(let e) = stage { res = try evaluateFilter(e, res, env) }
                    }
                }
                if let res { results.append(res) }
            }
        }
        if lastStep, results.count == 1 {
            switch results[0] {
            case .jsonArray: return results[0]
            case .array(_, let f) where !f.contains(.sequence): return results[0]
            default: break
            }
        }
        var flat: [JSONataValue] = []
        flat.reserveCapacity(results.count)
        for r in results {
            switch r {
            case .array(let items, let f):
                if f.contains(.cons) { flat.append(r) } else { flat.append(contentsOf: items) }
            case .jsonArray(let a):
                for e in a { flat.append(JSONataValue(e)) }
            default:
                flat.append(r)
            }
        }
        return .array(flat, .sequence)
    }

    private func frame(from tuple: JSONataTuple, _ env: JSONataFrame) -> JSONataFrame {
        let f = JSONataFrame(parent: env)
        for (k, v) in tuple.bindings { f.bind(k, v) }
        return f
    }

    private func evaluateTupleStep(_ step: JSONataStep, _ inputs: [JSONataValue], _ undefinedInput: Bool, _ tupleBindings: [JSONataTuple]?, _ env: JSONataFrame) throws(JSONataError) -> [JSONataTuple] {
        if case .sort(let terms, let position) = step.node {
            var result: [JSONataTuple]
            if let tb = tupleBindings {
                result = try sortTuples(terms, position, tb, env)
            } else {
                let sorted = try evaluateSort(terms, position, inputs, env).asItems
                result = []
                for (i, v) in sorted.enumerated() {
                    var t = JSONataTuple(context: v, bindings: [:])
                    if let idx = step.index { t.bindings[idx] = .number(Double(i)) }
                    result.append(t)
                }
            }
            return try evaluateStages(step.stages, result, env)
        }
        let tb = tupleBindings ?? (undefinedInput ? [JSONataTuple(context: nil, bindings: [:])] : inputs.map { JSONataTuple(context: $0, bindings: [:]) })
        var result: [JSONataTuple] = []
        for t in tb {
            let stepEnv = frame(from: t, env)
            guard let res = try evaluate(step.node, t.context, stepEnv) else { continue }
            if case .tuples(let inner) = res {
                for r in inner {
                    var nt = t
                    for (k, v) in r.bindings { nt.bindings[k] = v }
                    nt.context = r.context
                    result.append(nt)
                }
                continue
            }
            let items = res.asItems
            for (bb, item) in items.enumerated() {
                var nt = t
                if let focus = step.focus {
                    nt.bindings[focus] = item
                } else {
                    nt.context = item
                }
                if let idx = step.index { nt.bindings[idx] = .number(Double(bb)) }
                if let anc = step.ancestor {
                    if let c = t.context { nt.bindings[anc] = c } else { nt.bindings[anc] = nil }
                }
                result.append(nt)
            }
        }
        return try evaluateStages(step.stages, result, env)
    }

    private func evaluateStages(_ stages: [JSONataStage], _ input: [JSONataTuple], _ env: JSONataFrame) throws(JSONataError) -> [JSONataTuple] {
        var result = input
        for stage in stages {
            switch stage {
            case .filter(let e):
                result = try filterTuples(e, result, env)
            case .index(let name):
                for i in result.indices { result[i].bindings[name] = .number(Double(i)) }
            }
        }
        return result
    }

    private func filterTuples(_ predicate: JSONataNode, _ input: [JSONataTuple], _ env: JSONataFrame) throws(JSONataError) -> [JSONataTuple] {
        if case .number(let d) = predicate {
            var index = JSONataClamp.int(d.rounded(.down))
            if index < 0 { index += input.count }
            if index >= 0, index < input.count { return [input[index]] }
            return []
        }
        var results: [JSONataTuple] = []
        for (index, t) in input.enumerated() {
            let res = try evaluate(predicate, t.context, frame(from: t, env))
            if JSONataEvaluator.selects(res, index: index, count: input.count) { results.append(t) }
        }
        return results
    }

    /// Whether a predicate result keeps the item at `index` (numeric results select by position).
    static func selects(_ res: JSONataValue?, index: Int, count: Int) -> Bool {
        if let res {
            if case .number(let n) = res { return position(n, count) == index }
            if let items = res.arrayItems, items.allSatisfy(\.isNumber) {
                for item in items {
                    if case .number(let n) = item, position(n, count) == index { return true }
                }
                return false
            }
        }
        return boolean(res)
    }

    private static func position(_ n: Double, _ count: Int) -> Int {
        guard n.isFinite else { return -1 }
        var i = JSONataClamp.int(n.rounded(.down))
        if i < 0 { i += count }
        return i
    }

    func evaluateFilter(_ predicate: JSONataNode, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        if case .tuples(let ts)? = input {
            return .tuples(try filterTuples(predicate, ts, env))
        }
        guard let input else { return .sequence() }
        let items = input.asItems
        if case .number(let d) = predicate {
            var index = JSONataClamp.int(d.rounded(.down))
            if index < 0 { index += items.count }
            if index >= 0, index < items.count {
                let item = items[index]
                if item.isArray { return item }
                return .array([item], .sequence)
            }
            return .sequence()
        }
        var results: [JSONataValue] = []
        for (index, item) in items.enumerated() {
            let res = try evaluate(predicate, item, env)
            if JSONataEvaluator.selects(res, index: index, count: items.count) { results.append(item) }
        }
        return .array(results, .sequence)
    }

    // MARK: field access

    static func lookup(_ input: JSONataValue?, _ key: String) -> JSONataValue? {
        guard let input else { return nil }
        switch input {
        case .jsonObject(let o):
            if let v = o[key] { return JSONataValue(v) }
            return nil
        case .object(let o):
            return o[key]
        case .array(let items, _):
            var out: [JSONataValue] = []
            for item in items {
                guard let r = lookup(item, key) else { continue }
                switch r {
                case .array(let a, _): out.append(contentsOf: a)
                case .jsonArray(let a): for e in a { out.append(JSONataValue(e)) }
                default: out.append(r)
                }
            }
            return .array(out, .sequence)
        case .jsonArray(let items):
            var out: [JSONataValue] = []
            for item in items {
                guard case .object(let o) = item else {
                    if case .array = item, let r = lookup(JSONataValue(item), key) {
                        out.append(contentsOf: r.asItems)
                    }
                    continue
                }
                guard let v = o[key] else { continue }
                if case .array(let a) = v {
                    for e in a { out.append(JSONataValue(e)) }
                } else {
                    out.append(JSONataValue(v))
                }
            }
            return .array(out, .sequence)
        case .tuples(let ts):
            return lookup(.array(ts.compactMap(\.context), .sequence), key)
        default:
            return nil
        }
    }

    private func evaluateWildcard(_ inputIn: JSONataValue?) -> JSONataValue? {
        var input = inputIn
        if case .array(let items, let f)? = input, f.contains(.outerWrapper), let first = items.first { input = first }
        if let items = input?.arrayItems {
            var out: [JSONataValue] = []
            for v in items { JSONataEvaluator.flatten(v, into: &out) }
            return .array(out, .sequence)
        }
        guard let entries = input?.objectEntries else { return .sequence() }
        var out: [JSONataValue] = []
        var isSequence = true
        for (_, v) in entries {
            if v.isArray {
                JSONataEvaluator.flatten(v, into: &out)
                isSequence = false
            } else {
                out.append(v)
            }
        }
        return .array(out, isSequence ? .sequence : [])
    }

    static func flatten(_ v: JSONataValue, into out: inout [JSONataValue]) {
        if let items = v.arrayItems {
            for i in items { flatten(i, into: &out) }
        } else {
            out.append(v)
        }
    }

    private func evaluateDescendants(_ input: JSONataValue?) -> JSONataValue? {
        guard let input else { return nil }
        var out: [JSONataValue] = []
        JSONataEvaluator.recurseDescendants(input, &out)
        if out.count == 1 { return out[0] }
        return .array(out, .sequence)
    }

    private static func recurseDescendants(_ input: JSONataValue, _ out: inout [JSONataValue]) {
        if let items = input.arrayItems {
            for i in items { recurseDescendants(i, &out) }
            return
        }
        out.append(input)
        if let entries = input.objectEntries {
            for (_, v) in entries { recurseDescendants(v, &out) }
        }
    }

    // MARK: grouping

    func evaluateGroup(_ group: JSONataGroup, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        let object = try buildGroup(group, input, env)
        if case .object(let members)? = object {
            try JSONataEvaluator.checkConstructedNesting(of: members.values, position: group.position)
        }
        return object
    }

    private func buildGroup(_ group: JSONataGroup, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        if case .tuples(let ts)? = input {
            return try groupTuples(group, ts, env)
        }
        // Fast path: a single context item needs no grouping.
        if let input, !input.isArray {
            return try constructObject(group, input, env)
        }
        var items: [JSONataValue?] = input?.arrayItems ?? []
        if items.isEmpty { items = [nil] }
        // One hash per key and item: the group's position is looked up once, then updated in place.
        var groups = OrderedDictionary<String, (data: JSONataValue?, index: Int)>(minimumCapacity: items.count)
        for item in items {
            for (pi, pair) in group.pairs.enumerated() {
                let key = try evaluate(pair.0, item, env)
                guard let key else { continue }
                guard case .string(let k) = key else {
                    throw JSONataError.make("T1003", position: group.position)
                }
                if let position = groups.index(forKey: k) {
                    let existing = groups.values[position]
                    if existing.index != pi { throw JSONataError.make("D1009", "key \(k)", position: group.position) }
                    groups.values[position] = (JSONataEvaluator.append(existing.data, item), pi)
                } else {
                    groups.updateValue((item, pi), forKey: k)
                }
            }
        }
        // Keys are already distinct: the result's members are appended without another lookup.
        var keys: [String] = []
        var values: [JSONataValue] = []
        keys.reserveCapacity(groups.count)
        values.reserveCapacity(groups.count)
        for (k, entry) in groups {
            if let v = try evaluate(group.pairs[entry.index].1, entry.data, env) {
                keys.append(k)
                values.append(v)
            }
        }
        return .object(OrderedDictionary(uncheckedUniqueKeys: keys, values: values))
    }

    private func constructObject(_ group: JSONataGroup, _ item: JSONataValue, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue {
        var keys: [String] = []
        keys.reserveCapacity(group.pairs.count)
        var indexes: [Int] = []
        for (pi, pair) in group.pairs.enumerated() {
            guard let key = try evaluate(pair.0, item, env) else { continue }
            guard case .string(let k) = key else {
                throw JSONataError.make("T1003", position: group.position)
            }
            if let j = keys.firstIndex(of: k) {
                if indexes[j] != pi { throw JSONataError.make("D1009", "key \(k)", position: group.position) }
                continue
            }
            keys.append(k)
            indexes.append(pi)
        }
        var result = OrderedDictionary<String, JSONataValue>(minimumCapacity: keys.count)
        for (j, k) in keys.enumerated() {
            if let v = try evaluate(group.pairs[indexes[j]].1, item, env) { result[k] = v }
        }
        return .object(result)
    }

    private func groupTuples(_ group: JSONataGroup, _ tuples: [JSONataTuple], _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        var groups = OrderedDictionary<String, (data: [JSONataTuple], index: Int)>()
        let items = tuples.isEmpty ? [JSONataTuple(context: nil, bindings: [:])] : tuples
        for t in items {
            let tenv = frame(from: t, env)
            for (pi, pair) in group.pairs.enumerated() {
                guard let key = try evaluate(pair.0, t.context, tenv) else { continue }
                guard case .string(let k) = key else {
                    throw JSONataError.make("T1003", position: group.position)
                }
                if let existing = groups[k] {
                    if existing.index != pi { throw JSONataError.make("D1009", "key \(k)", position: group.position) }
                    groups[k] = (existing.data + [t], pi)
                } else {
                    groups[k] = ([t], pi)
                }
            }
        }
        var result = OrderedDictionary<String, JSONataValue>()
        for (k, entry) in groups {
            var merged = entry.data[0]
            var bindings: [String: JSONataValue?] = merged.bindings.mapValues { Optional($0) }
            var context = merged.context
            for t in entry.data.dropFirst() {
                context = JSONataEvaluator.append(context, t.context)
                for (name, v) in t.bindings {
                    bindings[name] = JSONataEvaluator.append(bindings[name] ?? nil, v)
                }
            }
            merged.context = context
            let tenv = JSONataFrame(parent: env)
            for (name, v) in bindings { tenv.bind(name, v) }
            if let v = try evaluate(group.pairs[entry.index].1, merged.context, tenv) { result[k] = v }
        }
        return .object(result)
    }

    /// Refuses to wrap `children` in one more array or object when one of them is already
    /// ``JSONataLimits/maximumConstructedNesting`` levels deep (`U1002`).
    static func checkConstructedNesting(of children: some Sequence<JSONataValue>, position: Int?) throws(JSONataError) {
        for child in children where child.constructedNestingExceeds(JSONataLimits.maximumConstructedNesting - 1) {
            throw JSONataError.make("U1002", position: position)
        }
    }

    /// jsonata's `$append` semantics: undefined is ignored, non-arrays become singletons.
    static func append(_ a: JSONataValue?, _ b: JSONataValue?) -> JSONataValue? {
        guard let a else { return b }
        guard let b else { return a }
        var items = a.asItems
        items.append(contentsOf: b.asItems)
        return .array(items, [])
    }
}
