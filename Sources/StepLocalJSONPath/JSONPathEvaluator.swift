import StepLocalJSON

/// Walks a value along compiled steps, collecting every match in Jayway's order.
///
/// Used for indefinite paths and for filter sub-paths; definite reference paths take the
/// allocation-free loop in ``JSONPath/evaluate(in:)`` instead. Failures inside an indefinite path
/// drop only the failing branch, as AWS does (`$.missing[1:]` gives `[]`).
struct JSONPathEvaluator {
    /// The document `$` refers to inside filters.
    let document: JSONValue
    private(set) var results: [JSONValue] = []

    init(document: JSONValue) {
        self.document = document
    }

    static func collect(_ segments: [JSONPathSegment], from value: JSONValue, document: JSONValue) -> [JSONValue] {
        var evaluator = JSONPathEvaluator(document: document)
        evaluator.walk(value, segments, 0)
        return evaluator.results
    }

    mutating func walk(_ value: JSONValue, _ segments: [JSONPathSegment], _ i: Int) {
        guard i < segments.count else {
            results.append(value)
            return
        }
        apply(segments[i], to: value, segments, i)
    }

    /// Applies one step to `value` and continues with the steps after `i`.
    private mutating func apply(_ segment: JSONPathSegment, to value: JSONValue, _ segments: [JSONPathSegment], _ i: Int) {
        let next = i + 1
        switch segment {
        case .name(let name):
            if case .object(let o) = value, let member = o[name] { walk(member, segments, next) }
        case .names(let names):
            guard case .object(let o) = value else { return }
            if next == segments.count {
                // Jayway merges the named members into one object at the end of a path.
                var merged = JSONObject()
                for n in names { if let m = o[n] { merged[n] = m } }
                results.append(.object(merged))
            } else {
                for n in names { if let m = o[n] { walk(m, segments, next) } }
            }
        case .index(let index):
            if case .array(let a) = value, let element = Self.element(a, index) { walk(element, segments, next) }
        case .indexes(let indexes):
            guard case .array(let a) = value else { return }
            for index in indexes { if let element = Self.element(a, index) { walk(element, segments, next) } }
        case .slice(let start, let end, let step):
            guard case .array(let a) = value else { return }
            for index in Self.sliceIndexes(count: a.count, start: start, end: end, step: step) {
                walk(a[index], segments, next)
            }
        case .wildcard:
            switch value {
            case .array(let a): for element in a { walk(element, segments, next) }
            case .object(let o): for member in o.values { walk(member, segments, next) }
            default: break
            }
        case .deepScan(let inner):
            scan(value, inner, segments, next)
        case .filter(let filter):
            switch value {
            case .array(let a):
                for element in a where matches(filter, element) { walk(element, segments, next) }
            case .object:
                // Jayway applies a filter on an object to the object itself.
                if matches(filter, value) { walk(value, segments, next) }
            default: break
            }
        case .function(let function):
            if let result = function.apply(to: value) { walk(result, segments, next) }
        }
    }

    /// Jayway's deep scan: at every container, pre-order, apply the scanned step; then descend.
    private mutating func scan(_ value: JSONValue, _ inner: JSONPathSegment, _ segments: [JSONPathSegment], _ next: Int) {
        switch value {
        case .object(let o):
            switch inner {
            case .name(let n):
                if let member = o[n] { walk(member, segments, next) }
            case .names, .wildcard, .filter:
                apply(inner, to: value, segments, next - 1)
            default:
                break
            }
            for member in o.values { scan(member, inner, segments, next) }
        case .array(let a):
            switch inner {
            case .index, .indexes, .slice, .wildcard:
                apply(inner, to: value, segments, next - 1)
            default:
                break
            }
            for element in a { scan(element, inner, segments, next) }
        default:
            break
        }
    }

    static func element(_ array: [JSONValue], _ index: Int) -> JSONValue? {
        let effective = index < 0 ? array.count + index : index
        guard effective >= 0, effective < array.count else { return nil }
        return array[effective]
    }

    /// Jayway's slice rules (`[from:]`, `[:to]`, `[from:to]`, negatives count from the end), plus a
    /// Python-style step.
    static func sliceIndexes(count: Int, start: Int?, end: Int?, step: Int?) -> [Int] {
        let step = step ?? 1
        if step > 0 {
            var from = start ?? 0
            if from < 0 { from = Swift.max(0, count + from) }
            var to = end ?? count
            if to < 0 { to = count + to }
            to = Swift.min(count, to)
            guard from < to else { return [] }
            return Array(stride(from: from, to: to, by: step))
        }
        var from = start ?? (count - 1)
        if from < 0 { from += count }
        from = Swift.min(from, count - 1)
        var to = end ?? -1
        if let e = end, e < 0 { to = Swift.max(-1, count + e) }
        guard from > to else { return [] }
        return Array(stride(from: from, to: to, by: step))
    }

    // MARK: Filters

    func matches(_ filter: JSONPathFilter, _ item: JSONValue) -> Bool {
        switch filter {
        case .or(let a, let b): return matches(a, item) || matches(b, item)
        case .and(let a, let b): return matches(a, item) && matches(b, item)
        case .not(let a): return !matches(a, item)
        case .exists(let operand):
            switch operand {
            case .current(let segs): return Self.exists(segs, in: item, document: document)
            case .document(let segs): return Self.exists(segs, in: document, document: document)
            default: return true
            }
        case .compare(let l, let op, let r):
            return JSONPathComparison.evaluate(resolve(l, item), op, resolve(r, item))
        }
    }

    private static func exists(_ segments: [JSONPathSegment], in value: JSONValue, document: JSONValue) -> Bool {
        !collect(segments, from: value, document: document).isEmpty
    }

    /// A filter operand's value: nil when a definite path selects nothing (Jayway's "undefined").
    private func resolve(_ operand: JSONPathOperand, _ item: JSONValue) -> JSONPathComparison.Operand {
        switch operand {
        case .literal(let v): return .value(v)
        case .regex(let pattern, let ignoreCase): return .regex(pattern, ignoreCase)
        case .current(let segs): return Self.pathValue(segs, from: item, document: document)
        case .document(let segs): return Self.pathValue(segs, from: document, document: document)
        }
    }

    private static func pathValue(_ segments: [JSONPathSegment], from value: JSONValue, document: JSONValue) -> JSONPathComparison.Operand {
        let found = collect(segments, from: value, document: document)
        if segments.allSatisfy(\.isDefiniteStep) {
            return found.first.map { .value($0) } ?? .undefined
        }
        return .value(.array(found))
    }
}
