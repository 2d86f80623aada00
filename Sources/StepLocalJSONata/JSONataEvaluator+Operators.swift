/// Operators, truthiness, equality and order-by for ``JSONataEvaluator``.
extension JSONataEvaluator {
    func evaluateBinary(_ op: JSONataBinaryOperator, _ lhsNode: JSONataNode, _ rhsNode: JSONataNode, _ position: Int, _ input: JSONataValue?, _ env: JSONataFrame) throws(JSONataError) -> JSONataValue? {
        let lhs = try evaluate(lhsNode, input, env)
        switch op {
        case .and:
            if !JSONataEvaluator.boolean(lhs) { return .bool(false) }
            return .bool(JSONataEvaluator.boolean(try evaluate(rhsNode, input, env)))
        case .or:
            if JSONataEvaluator.boolean(lhs) { return .bool(true) }
            return .bool(JSONataEvaluator.boolean(try evaluate(rhsNode, input, env)))
        default:
            break
        }
        let rhs = try evaluate(rhsNode, input, env)
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo:
            if let lhs, !lhs.isNumber {
                throw JSONataError(code: "T2001", message: "The left side of the \(op.rawValue) operator must evaluate to a number", position: position)
            }
            if let rhs, !rhs.isNumber {
                throw JSONataError(code: "T2002", message: "The right side of the \(op.rawValue) operator must evaluate to a number", position: position)
            }
            guard case .number(let a)? = lhs, case .number(let b)? = rhs else { return nil }
            if !a.isFinite || !b.isFinite { throw JSONataError.make("D1001", position: position) }
            let r: Double
            switch op {
            case .add: r = a + b
            case .subtract: r = a - b
            case .multiply: r = a * b
            case .divide: r = a / b
            default: r = a.truncatingRemainder(dividingBy: b)
            }
            return .number(r)
        case .equal, .notEqual:
            guard let lhs, let rhs else { return .bool(false) }
            let eq = JSONataEvaluator.deepEqual(lhs, rhs)
            return .bool(op == .equal ? eq : !eq)
        case .less, .lessEqual, .greater, .greaterEqual:
            let lok = lhs == nil || lhs!.isNumber || lhs!.isString
            let rok = rhs == nil || rhs!.isNumber || rhs!.isString
            if !lok || !rok {
                throw JSONataError(code: "T2010", message: "The expressions either side of operator \(op.rawValue) must evaluate to numeric or string values", position: position)
            }
            guard let lhs, let rhs else { return nil }
            let c: Int
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): c = a < b ? -1 : (a > b ? 1 : 0)
            case (.string(let a), .string(let b)): c = JSONataEvaluator.compareStrings(a, b)
            default:
                throw JSONataError(code: "T2009", message: "The values either side of operator \(op.rawValue) must be of the same data type", position: position)
            }
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .concat:
            var left = "", right = ""
            if let lhs { left = try JSONataStringifier.string(lhs) }
            if let rhs { right = try JSONataStringifier.string(rhs) }
            try JSONataEvaluator.checkStringSize(left.utf8.count + right.utf8.count, position: position)
            return .string(left + right)
        case .range:
            if let lhs, !JSONataEvaluator.isInteger(lhs) {
                throw JSONataError.make("T2003", position: position)
            }
            if let rhs, !JSONataEvaluator.isInteger(rhs) {
                throw JSONataError.make("T2004", position: position)
            }
            guard case .number(let a)? = lhs, case .number(let b)? = rhs else { return nil }
            if a > b { return nil }
            let size = b - a + 1
            if size > 1e7 { throw JSONataError.make("D2014", position: position) }
            var out: [JSONataValue] = []
            out.reserveCapacity(Int(size))
            var i = Int(a)
            let end = Int(b)
            while i <= end {
                out.append(.number(Double(i)))
                i += 1
            }
            return .array(out, .sequence)
        case .inclusion:
            guard let lhs, let rhs else { return .bool(false) }
            for item in rhs.asItems where JSONataEvaluator.strictEqual(item, lhs) { return .bool(true) }
            return .bool(false)
        case .and, .or:
            return nil
        }
    }

    static func isInteger(_ v: JSONataValue) -> Bool {
        if case .number(let d) = v { return d.isFinite && d.rounded(.towardZero) == d }
        return false
    }

    static func compareStrings(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        var ia = a.utf16.makeIterator()
        var ib = b.utf16.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?):
                if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    /// jsonata's `$boolean` casting; undefined is false.
    static func boolean(_ v: JSONataValue?) -> Bool {
        guard let v else { return false }
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .number(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .array(let items, _):
            if items.count == 1 { return boolean(items[0]) }
            return items.contains { boolean($0) }
        case .jsonArray(let items):
            if items.count == 1 { return boolean(JSONataValue(items[0])) }
            return items.contains { boolean(JSONataValue($0)) }
        case .object(let o): return !o.isEmpty
        case .jsonObject(let o): return !o.isEmpty
        case .function: return false
        case .tuples(let t): return t.contains { boolean($0.context) }
        }
    }

    /// `===`-style equality used by `in`: primitives by value, containers never equal.
    static func strictEqual(_ a: JSONataValue, _ b: JSONataValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y && x.utf16.elementsEqual(y.utf16)
        default: return false
        }
    }

    /// Deep equality used by `=` and `!=` (arrays by elements, objects by members).
    static func deepEqual(_ a: JSONataValue, _ b: JSONataValue) -> Bool {
        if strictEqual(a, b) { return true }
        if let x = a.arrayItems, let y = b.arrayItems {
            guard x.count == y.count else { return false }
            for i in x.indices where !deepEqual(x[i], y[i]) { return false }
            return true
        }
        if let x = a.objectEntries, let y = b.objectEntries {
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], deepEqual(v, w) else { return false }
            }
            return true
        }
        return false
    }

    // MARK: order-by

    func evaluateSort(_ terms: [JSONataSortTerm], _ position: Int, _ items: [JSONataValue], _ env: JSONataFrame) throws(JSONataError) -> JSONataValue {
        var keys = SortKeys(items: items.count, terms: terms.count)
        let order = try JSONataEvaluator.mergeSort(Array(items.indices)) { (a, b) throws(JSONataError) -> Bool in
            try self.sortGreater(terms, position) { (side, t) throws(JSONataError) -> JSONataValue? in
                let i = side == 0 ? a : b
                return try keys.value(i, t) { () throws(JSONataError) in try self.evaluate(terms[t].expression, items[i], env) }
            }
        }
        return .array(order.map { items[$0] }, .sequence)
    }

    func sortTuples(_ terms: [JSONataSortTerm], _ position: Int, _ tuples: [JSONataTuple], _ env: JSONataFrame) throws(JSONataError) -> [JSONataTuple] {
        var keys = SortKeys(items: tuples.count, terms: terms.count)
        var frames = [JSONataFrame?](repeating: nil, count: tuples.count)
        let order = try JSONataEvaluator.mergeSort(Array(tuples.indices)) { (a, b) throws(JSONataError) -> Bool in
            try self.sortGreater(terms, position) { (side, t) throws(JSONataError) -> JSONataValue? in
                let i = side == 0 ? a : b
                return try keys.value(i, t) { () throws(JSONataError) in
                    let frame: JSONataFrame
                    if let made = frames[i] {
                        frame = made
                    } else {
                        frame = JSONataFrame(parent: env)
                        for (k, v) in tuples[i].bindings { frame.bind(k, v) }
                        frames[i] = frame
                    }
                    return try self.evaluate(terms[t].expression, tuples[i].context, frame)
                }
            }
        }
        return order.map { tuples[$0] }
    }

    /// Each item's sort keys, evaluated the first time a comparison needs them and then reused:
    /// jsonata-js evaluates them again in every comparison (O(n log n) evaluations). The first
    /// evaluations happen in the same order, so the same error surfaces first.
    struct SortKeys {
        private var cache: [JSONataValue??]
        private let terms: Int

        init(items: Int, terms: Int) {
            cache = Array(repeating: .none, count: items * terms)
            self.terms = terms
        }

        mutating func value(_ item: Int, _ term: Int, _ evaluate: () throws(JSONataError) -> JSONataValue?) throws(JSONataError) -> JSONataValue? {
            if case .some(let known) = cache[item * terms + term] { return known }
            let value = try evaluate()
            cache[item * terms + term] = .some(value)
            return value
        }
    }

    /// Whether the item read by `key(0, term)` sorts after the one read by `key(1, term)`.
    private func sortGreater(
        _ terms: [JSONataSortTerm], _ position: Int, _ key: (_ side: Int, _ term: Int) throws(JSONataError) -> JSONataValue?
    ) throws(JSONataError) -> Bool {
        var comp = 0
        for (t, term) in terms.enumerated() {
            let aa = try key(0, t)
            let bb = try key(1, t)
            guard let aa else {
                comp = bb == nil ? 0 : 1
                if comp != 0 { break } else { continue }
            }
            guard let bb else {
                comp = -1
                break
            }
            if !(aa.isNumber || aa.isString) || !(bb.isNumber || bb.isString) {
                throw JSONataError.make("T2008", position: position)
            }
            switch (aa, bb) {
            case (.number(let x), .number(let y)): comp = x == y ? 0 : (x < y ? -1 : 1)
            case (.string(let x), .string(let y)): comp = JSONataEvaluator.compareStrings(x, y)
            default: throw JSONataError.make("T2007", position: position)
            }
            if comp == 0 { continue }
            if term.descending { comp = -comp }
            break
        }
        return comp == 1
    }

    /// Stable merge sort; `greater(a, b)` true means `b` goes first (jsonata's comparator contract).
    static func mergeSort<T>(_ items: [T], _ greater: (T, T) throws(JSONataError) -> Bool) throws(JSONataError) -> [T] {
        if items.count <= 1 { return items }
        let mid = items.count / 2
        let left = try mergeSort(Array(items[..<mid]), greater)
        let right = try mergeSort(Array(items[mid...]), greater)
        var out: [T] = []
        out.reserveCapacity(items.count)
        var i = 0
        var j = 0
        while i < left.count, j < right.count {
            if try greater(left[i], right[j]) {
                out.append(right[j])
                j += 1
            } else {
                out.append(left[i])
                i += 1
            }
        }
        out.append(contentsOf: left[i...])
        out.append(contentsOf: right[j...])
        return out
    }
}
