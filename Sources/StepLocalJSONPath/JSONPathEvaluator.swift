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

    static func collect(_ segments: [JSONPathSegment], from value: JSONValue, document: JSONValue) throws(JSONPathError) -> [JSONValue] {
        var evaluator = JSONPathEvaluator(document: document)
        try evaluator.walk(value, segments, 0)
        return evaluator.results
    }

    mutating func walk(_ value: JSONValue, _ segments: [JSONPathSegment], _ i: Int) throws(JSONPathError) {
        guard i < segments.count else {
            results.append(value)
            return
        }
        try apply(segments[i], to: value, segments, i)
    }

    /// Applies one step to `value` and continues with the steps after `i`.
    private mutating func apply(_ segment: JSONPathSegment, to value: JSONValue, _ segments: [JSONPathSegment], _ i: Int) throws(JSONPathError) {
        let next = i + 1
        switch segment {
        case .name(let name):
            if case .object(let o) = value, let member = o[name] { try walk(member, segments, next) }
        case .names(let names):
            guard case .object(let o) = value else { return }
            if next == segments.count {
                // Jayway merges the named members into one object at the end of a path.
                var merged = JSONObject()
                for n in names { if let m = o[n] { merged[n] = m } }
                results.append(.object(merged))
            } else {
                for n in names { if let m = o[n] { try walk(m, segments, next) } }
            }
        case .index(let index):
            if case .array(let a) = value, let element = Self.element(a, index) { try walk(element, segments, next) }
        case .indexes(let indexes):
            guard case .array(let a) = value else { return }
            for index in indexes { if let element = Self.element(a, index) { try walk(element, segments, next) } }
        case .slice(let start, let end, let step):
            guard case .array(let a) = value else { return }
            for index in Self.sliceIndexes(count: a.count, start: start, end: end, step: step) {
                try walk(a[index], segments, next)
            }
        case .wildcard:
            switch value {
            case .array(let a): for element in a { try walk(element, segments, next) }
            case .object(let o): for member in o.values { try walk(member, segments, next) }
            default: break
            }
        case .deepScan(let inner):
            try scan(value, inner, segments, next)
        case .filter(let filter):
            switch value {
            case .array(let a):
                for element in a where try matches(filter, element) { try walk(element, segments, next) }
            case .object:
                // Jayway applies a filter on an object to the object itself.
                if try matches(filter, value) { try walk(value, segments, next) }
            default: break
            }
        case .function(let function):
            if let result = function.apply(to: value) { try walk(result, segments, next) }
        }
    }

    /// Jayway's deep scan: at every container, pre-order, apply the scanned step; then descend.
    private mutating func scan(_ value: JSONValue, _ inner: JSONPathSegment, _ segments: [JSONPathSegment], _ next: Int) throws(JSONPathError) {
        switch value {
        case .object(let o):
            switch inner {
            case .name(let n):
                if let member = o[n] { try walk(member, segments, next) }
            case .names, .wildcard, .filter:
                try apply(inner, to: value, segments, next - 1)
            default:
                break
            }
            for member in o.values { try scan(member, inner, segments, next) }
        case .array(let a):
            switch inner {
            case .index, .indexes, .slice, .wildcard:
                try apply(inner, to: value, segments, next - 1)
            default:
                break
            }
            for element in a { try scan(element, inner, segments, next) }
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

    func matches(_ filter: JSONPathFilter, _ item: JSONValue) throws(JSONPathError) -> Bool {
        switch filter {
        // Not `||`/`&&`: their autoclosures would throw untyped errors.
        case .or(let a, let b):
            if try matches(a, item) { return true }
            return try matches(b, item)
        case .and(let a, let b):
            if try !matches(a, item) { return false }
            return try matches(b, item)
        case .not(let a): return try !matches(a, item)
        case .exists(let operand):
            switch operand {
            case .current(let segs): return try Self.exists(segs, in: item, document: document)
            case .document(let segs): return try Self.exists(segs, in: document, document: document)
            default: return true
            }
        case .compare(let l, let op, let r):
            return try JSONPathComparison.evaluate(resolve(l, item), op, resolve(r, item))
        }
    }

    private static func exists(_ segments: [JSONPathSegment], in value: JSONValue, document: JSONValue) throws(JSONPathError) -> Bool {
        try !collect(segments, from: value, document: document).isEmpty
    }

    /// A filter operand's value: nil when a definite path selects nothing (Jayway's "undefined").
    private func resolve(_ operand: JSONPathOperand, _ item: JSONValue) throws(JSONPathError) -> JSONPathComparison.Operand {
        switch operand {
        case .literal(let v): return .value(v)
        case .regex(let regex): return .regex(regex)
        case .current(let segs): return try Self.pathValue(segs, from: item, document: document)
        case .document(let segs): return try Self.pathValue(segs, from: document, document: document)
        }
    }

    private static func pathValue(_ segments: [JSONPathSegment], from value: JSONValue, document: JSONValue) throws(JSONPathError) -> JSONPathComparison.Operand {
        let found = try collect(segments, from: value, document: document)
        if segments.allSatisfy(\.isDefiniteStep) {
            return found.first.map { .value($0) } ?? .undefined
        }
        return .value(.array(found))
    }
}
