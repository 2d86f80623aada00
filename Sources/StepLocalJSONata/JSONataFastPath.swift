import StepLocalJSON

/// A closure-compiled evaluator for the everyday subset of JSONata that state machines use (field
/// paths over `$states`/bindings/input, boolean and literal-index predicates, object constructors,
/// group-by, order-by, arithmetic, comparisons, `&`, conditions, the aggregates, the common string
/// built-ins, `$map`/`$filter` over an inline lambda), working on ``JSONValue`` directly: no
/// wrapping of input containers, no sequence objects for singletons, no frames (an inline lambda's
/// parameters live in slots of ``JSONataFastState/locals``).
///
/// It is an accelerator, not a second implementation: whenever a value falls outside the cases it
/// handles exactly (a type error, a non-finite number, nested arrays, a numeric predicate, an
/// unbound variable, an array as top-level input...), it *bails* and the caller re-runs the full
/// evaluator, which produces the result or error. Expressions outside the subset do not compile.
///
/// Values: `nil` is undefined; a JSONata sequence of two or more items is a `.array`; singleton
/// sequences are unwrapped; scalar numbers taken from JSON are normalised as the full evaluator
/// does (through `Double`), containers taken from JSON are returned verbatim.
struct JSONataFastPath: Sendable {
    let run: FastFn
    /// Evaluation nesting the full evaluator needs for this expression (checked against the limits).
    let depth: Int
    /// Member-lookup sites that keep a position hint per evaluation (``JSONataFastState/hints``).
    let hintSlots: Int
    /// Built-in functions the expression calls: a host function of the same name takes
    /// precedence, so the caller must not use the fast path when it supplies one.
    let calledBuiltins: Set<String>
    /// ``calledBuiltins`` as a list.
    private let calledBuiltinNames: [String]
    /// Parameters of the inline lambdas the expression passes to `$map`/`$filter`, one slot each
    /// (``JSONataFastState/locals``).
    let localSlots: Int

    private init(run: @escaping FastFn, depth: Int, hintSlots: Int, calledBuiltins: Set<String>, localSlots: Int) {
        self.run = run
        self.depth = depth
        self.hintSlots = hintSlots
        self.calledBuiltins = calledBuiltins
        calledBuiltinNames = calledBuiltins.sorted()
        self.localSlots = localSlots
    }

    static func compile(_ node: JSONataNode) -> JSONataFastPath? {
        var context = FastCompileContext()
        guard let fn = JSONataFastCompiler.compile(node, level: 1, context: &context) else { return nil }
        return JSONataFastPath(
            run: fn, depth: context.depth, hintSlots: context.hintSlots, calledBuiltins: context.calledBuiltins,
            localSlots: context.localSlots)
    }

    /// Evaluates; `nil` result means undefined. Throws ``JSONataFastBail`` when the full evaluator must decide.
    func evaluate(input: JSONValue?, bindings: [String: JSONValue], limits: JSONataLimits) throws(JSONataFastBail) -> JSONValue? {
        if case .array? = input { throw JSONataFastBail() }
        if depth * 3 + 8 > limits.maximumDepth { throw JSONataFastBail() }
        // A binding named like a built-in the expression calls is what `$name(...)` would call:
        // checked once here, not at every call, comparing names directly (there are a few of
        // each, and hashing them cost more).
        if !calledBuiltinNames.isEmpty {
            for name in bindings.keys where calledBuiltinNames.contains(name) { throw JSONataFastBail() }
        }
        let state = JSONataFastState(
            bindings: bindings, root: input, maxUnits: limits.maximumSteps / 4 - 16, hintSlots: hintSlots, localSlots: localSlots)
        return try run(input ?? JSONataFastCompiler.undefinedContext, state)
    }
}

struct JSONataFastBail: Error {}

/// What compiling gathers besides the closures.
struct FastCompileContext {
    /// Evaluation nesting the full evaluator needs for this expression.
    var depth = 0
    /// Member-lookup sites numbered so far.
    var hintSlots = 0
    /// Built-in functions called (see ``JSONataFastPath/calledBuiltins``).
    var calledBuiltins: Set<String> = []
    /// Lambda parameters in scope where compiling is, to their slots in ``JSONataFastState/locals``.
    var locals: [String: Int] = [:]
    /// Local slots numbered so far.
    var localSlots = 0

    /// A new lambda parameter's slot in ``JSONataFastState/locals``.
    mutating func newLocalSlot() -> Int {
        defer { localSlots += 1 }
        return localSlots
    }

    /// A new member-lookup site's slot in ``JSONataFastState/hints``.
    mutating func newHintSlot() -> Int {
        defer { hintSlots += 1 }
        return hintSlots
    }
}

/// Compiled node: context item (never optional: copying into an `Optional` would retain every
/// buffer of an object per call; an undefined context is ``JSONataFastCompiler/undefinedContext``)
/// to result (`nil` = undefined).
typealias FastFn = @Sendable (JSONValue, JSONataFastState) throws(JSONataFastBail) -> JSONValue?

/// A compiled node evaluated with an object context item its caller already holds unwrapped (a
/// record read out of an array): member reads borrow the object instead of matching it out of a
/// ``JSONValue`` again, which copies (retains) the object's buffers on every read.
typealias RecordFn = @Sendable (JSONObject, JSONataFastState) throws(JSONataFastBail) -> JSONValue?

/// A compiled node in a collection. Arrays store closures at maximal abstraction, so calling one
/// goes through a reabstraction thunk that copies the argument (retaining an object's buffers);
/// a concrete struct keeps the closure's own calling convention.
struct FastBox: Sendable {
    let run: FastFn
}

/// An operand or member value evaluated on a record: member reads and constants, the commonest
/// operands, are done in place instead of through a closure call (which retains its context).
enum RecordOperand: Sendable {
    /// A member name and its lookup site's hint slot.
    case field(String, hint: Int)
    case constant(JSONValue)
    case computed(RecordFn)

    /// Exactly what the operand's ``RecordFn`` returns.
    @inline(__always)
    func evaluate(_ record: JSONObject, _ st: JSONataFastState) throws(JSONataFastBail) -> JSONValue? {
        switch self {
        case .field(let key, let hint):
            try st.tick()
            guard let v = record.value(forKey: key, hint: &st.hints[hint]) else { return nil }
            return JSONataFastCompiler.normalize(v)
        case .constant(let v):
            return v
        case .computed(let f):
            return try f(record, st)
        }
    }
}

final class JSONataFastState {
    let bindings: [String: JSONValue]
    let root: JSONValue?
    let maxUnits: Int
    var units = 0
    /// Per member-lookup site, where its key was found last (see ``JSONObject/value(forKey:hint:)``):
    /// records in one array usually share a shape. Per evaluation, so nothing is shared between threads.
    let hints: UnsafeMutablePointer<Int>
    /// The current values of inline lambdas' parameters (`nil`: undefined), one slot per
    /// parameter: such a lambda cannot call itself, so one value per parameter is live at a time.
    let locals: UnsafeMutablePointer<JSONValue?>
    private let localCount: Int

    init(bindings: [String: JSONValue], root: JSONValue?, maxUnits: Int, hintSlots: Int, localSlots: Int = 0) {
        self.bindings = bindings
        self.root = root
        self.maxUnits = maxUnits
        hints = .allocate(capacity: Swift.max(hintSlots, 1))
        hints.initialize(repeating: 0, count: Swift.max(hintSlots, 1))
        localCount = localSlots
        if localSlots > 0 {
            locals = .allocate(capacity: localSlots)
            locals.initialize(repeating: nil, count: localSlots)
        } else {
            // Never read or written: no lambda parameter was compiled.
            locals = JSONataFastState.noLocals
        }
    }

    /// The ``locals`` of expressions without inline lambdas (most), which need no allocation.
    nonisolated(unsafe) private static let noLocals = UnsafeMutablePointer<JSONValue?>.allocate(capacity: 1)

    deinit {
        hints.deallocate()
        if localCount > 0 {
            locals.deinitialize(count: localCount)
            locals.deallocate()
        }
    }

    /// Counts work so that anything the full evaluator would stop with `U1001` bails here first.
    @inline(__always)
    func tick(_ n: Int = 1) throws(JSONataFastBail) {
        units &+= n
        if units > maxUnits { throw JSONataFastBail() }
    }
}

/// Collects a step's results as the full evaluator's flattened sequence would hold them.
struct JSONataFastAccumulator {
    private var first: JSONValue? = nil
    private var many: [JSONValue]? = nil
    private var capacity = 0

    /// Expected item count, reserved when a second item arrives (a larger earlier guess stays).
    mutating func reserve(_ n: Int) { capacity = Swift.max(capacity, n) }

    @inline(__always)
    mutating func add(_ v: consuming JSONValue) {
        if many != nil {
            many!.append(consume v)
        } else if let f = first.take() {
            var m: [JSONValue] = []
            m.reserveCapacity(Swift.max(capacity, 4))
            m.append(f)
            m.append(consume v)
            many = m
        } else {
            first = consume v
        }
    }

    /// Adds a step result, flattening one array level (nested arrays bail).
    @inline(__always)
    mutating func addFlattening(_ v: consuming JSONValue) throws(JSONataFastBail) {
        if case .array(let a) = v {
            for e in a {
                if case .array = e { throw JSONataFastBail() }
                add(JSONataFastCompiler.normalize(e))
            }
        } else {
            add(consume v)
        }
    }

    var result: JSONValue? {
        if let many { return .array(many) }
        return first
    }
}

enum JSONataFastCompiler {
    /// Stands for an undefined context item: an object whose only key no compiled name can match,
    /// so field lookups on it are undefined as on `nil`; `$` checks for it.
    static let undefinedKey = "\u{0}undefined-context\u{0}"
    static let undefinedContext: JSONValue = .object([undefinedKey: .null])

    @inline(__always)
    static func isUndefinedContext(_ v: JSONValue) -> Bool {
        if case .object(let o) = v, o.count == 1, o.keys[0] == undefinedKey { return true }
        return false
    }

    /// Scalar numbers read from JSON go through `Double`, exactly as the full evaluator converts them.
    @inline(__always)
    static func normalize(_ v: JSONValue) -> JSONValue {
        if case .number(let n) = v {
            if case .int(let i) = n, i > -9_000_000_000_000_000, i < 9_000_000_000_000_000 { return v }
            return .number(JSONNumber(n.doubleValue))
        }
        return v
    }

    static func boolean(_ v: JSONValue?) -> Bool {
        guard let v else { return false }
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): let d = n.doubleValue; return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .array(let items):
            if items.count == 1 { return boolean(normalize(items[0])) }
            return items.contains { boolean($0) }
        case .object(let o): return !o.isEmpty
        }
    }

    /// `===` on values: primitives by value, containers never equal.
    static func strictEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x.doubleValue == y.doubleValue
        case (.string(let x), .string(let y)): return x == y && x.utf16.elementsEqual(y.utf16)
        default: return false
        }
    }

    static func isContainer(_ v: JSONValue) -> Bool {
        switch v {
        case .array, .object: return true
        default: return false
        }
    }

    static func compile(_ node: JSONataNode, level: Int, context: inout FastCompileContext) -> FastFn? {
        context.depth = max(context.depth, level)
        switch node {
        case .path(let p): return compilePath(p, level: level, context: &context)
        case .string(let s):
            let v = JSONValue.string(s)
            return { _, _ in v }
        case .number(let d):
            guard d.isFinite else { return nil }
            let v = JSONValue.number(JSONNumber(d))
            return { _, _ in v }
        case .literal(let b):
            let v: JSONValue = b.map { .bool($0) } ?? .null
            return { _, _ in v }
        case .variable(let name):
            // (`JSONValue` is nil-literal-expressible: spell undefined out, or `nil` would be JSON null.)
            if name.isEmpty { return { input, _ in isUndefinedContext(input) ? JSONValue?.none : input } }
            if name == "$" { return { _, st in st.root } }
            if let slot = context.locals[name] { return { _, st in st.locals[slot] } }
            return { _, st throws(JSONataFastBail) in
                guard let v = st.bindings[name] else { throw JSONataFastBail() }
                return normalize(v)
            }
        case .binary(let op, let l, let r, _):
            guard let lf = compile(l, level: level + 1, context: &context), let rf = compile(r, level: level + 1, context: &context) else { return nil }
            return compileBinary(op, lf, rf)
        case .negate(let e, _):
            guard let f = compile(e, level: level + 1, context: &context) else { return nil }
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                guard let v = try f(input, st) else { return nil }
                guard case .number(let n) = v else { throw JSONataFastBail() }
                return .number(JSONNumber(-n.doubleValue))
            }
        case .objectConstructor(let g):
            return compileObject(g, level: level, context: &context)
        case .condition(let c, let t, let e):
            guard let cf = compile(c, level: level + 1, context: &context), let tf = compile(t, level: level + 1, context: &context) else { return nil }
            var ef: FastFn? = nil
            if let e {
                guard let f = compile(e, level: level + 1, context: &context) else { return nil }
                ef = f
            }
            return { [ef] input, st throws(JSONataFastBail) in
                try st.tick()
                if boolean(try cf(input, st)) { return try tf(input, st) }
                if let ef { return try ef(input, st) }
                return nil
            }
        case .coalesce(let l, let r):
            guard let lf = compile(l, level: level + 1, context: &context), let rf = compile(r, level: level + 1, context: &context) else { return nil }
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                if let v = try lf(input, st) { return v }
                return try rf(input, st)
            }
        case .elvis(let l, let r):
            guard let lf = compile(l, level: level + 1, context: &context), let rf = compile(r, level: level + 1, context: &context) else { return nil }
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                let v = try lf(input, st)
                if boolean(v) { return v }
                return try rf(input, st)
            }
        case .call(.variable(let name), let arguments, _, _):
            // A lambda parameter of that name is what would be called.
            guard context.locals[name] == nil else { return nil }
            guard arguments.count == 1, let aggregate = FastAggregate(rawValue: name) else {
                return compileCall(name, arguments, level: level, context: &context)
            }
            guard let argument = compile(arguments[0], level: level + 1, context: &context) else { return nil }
            context.calledBuiltins.insert(name)
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                return try aggregate.apply(try argument(input, st), st)
            }
        case .block(let exprs):
            guard !exprs.isEmpty else { return nil }
            var fns: [FastBox] = []
            for e in exprs {
                if case .bind = e { return nil }
                guard let f = compile(e, level: level + 1, context: &context) else { return nil }
                fns.append(FastBox(run: f))
            }
            if fns.count == 1 {
                let f = fns[0].run
                return { input, st throws(JSONataFastBail) in
                    try st.tick()
                    return try f(input, st)
                }
            }
            return { [fns] input, st throws(JSONataFastBail) in
                try st.tick()
                var result: JSONValue? = nil
                for f in fns { result = try f.run(input, st) }
                return result
            }
        case .decorated(let inner, let deco):
            guard deco.group == nil, !deco.keepArray, !deco.predicates.isEmpty else { return nil }
            guard let core = compile(inner, level: level + 1, context: &context) else { return nil }
            var preds: [FastBox] = []
            for p in deco.predicates {
                guard let f = compile(p, level: level + 2, context: &context) else { return nil }
                preds.append(FastBox(run: f))
            }
            return { [preds] input, st throws(JSONataFastBail) in
                try st.tick()
                var v = try core(input, st)
                for p in preds { v = try filter(v, p.run, st) }
                return v
            }
        default:
            return nil
        }
    }

    /// A predicate stage over a value: keeps the items for which the predicate is true.
    /// Numeric (positional) predicate results bail.
    static func filter(_ value: JSONValue?, _ predicate: FastFn, _ st: JSONataFastState) throws(JSONataFastBail) -> JSONValue? {
        guard let value else { return nil }
        var acc = JSONataFastAccumulator()
        if case .array(let items) = value {
            acc.reserve(items.count)
            // Borrow the elements: copying each enum would retain an object's three buffers.
            try items.withUnsafeBufferPointer { (buf) throws(JSONataFastBail) in
                for i in buf.indices {
                    switch buf[i] {
                    case .array: throw JSONataFastBail()
                    case .object:
                        if try selects(try predicate(buf[i], st)) { acc.add(buf[i]) }
                    default:
                        let v = normalize(buf[i])
                        if try selects(try predicate(v, st)) { acc.add(v) }
                    }
                }
            }
        } else {
            if try selects(try predicate(value, st)) { acc.add(value) }
        }
        return acc.result
    }

    @inline(__always)
    static func selects(_ res: JSONValue?) throws(JSONataFastBail) -> Bool {
        switch res {
        case .bool(let b)?: return b
        case nil: return false
        case .number?: throw JSONataFastBail()
        case .array(let a)?:
            if a.allSatisfy({ if case .number = $0 { return true } else { return false } }) { throw JSONataFastBail() }
            return boolean(res)
        default: return boolean(res)
        }
    }

    // MARK: paths

    /// One compiled path step: a field name (`key`) or another expression (`fn`), then its filters.
    private final class FastStep: Sendable {
        let key: String?
        let fn: FastFn?
        /// `fn` for an object item already unwrapped, when the node has that form (see ``RecordFn``).
        let record: RecordFn?
        let filters: [FastBox]
        /// The last filter when it is `field op literal`: evaluated inline on each candidate object.
        let simple: SimplePredicate?
        /// All stages in order, when one of them is a literal index (`[0]`): then applied one by
        /// one to the step's result, instead of through `filters`.
        let indexed: [FastStage]?
        /// The sort keys of an order-by step (`^(>price)`), which sorts all the items reaching it.
        let sort: [FastSortKey]?

        init(key: String?, fn: FastFn?, record: RecordFn?, filters: [FastBox], simple: SimplePredicate?, indexed: [FastStage]?, sort: [FastSortKey]?) {
            self.key = key
            self.fn = fn
            self.record = record
            self.filters = filters
            self.simple = simple
            self.indexed = indexed
            self.sort = sort
        }
    }

    /// A step's stage: a predicate, or a literal number picking one item by position.
    enum FastStage: Sendable {
        case predicate(FastFn)
        case index(Double)
    }

    /// One term of an order-by step.
    struct FastSortKey: Sendable {
        let run: FastFn
        /// `run` on an object item read in place.
        let record: RecordOperand?
        let descending: Bool
    }

    /// A stage over a step's (or a sort's) result, as the full evaluator's `evaluateFilter` does.
    static func applyStage(_ stage: FastStage, _ value: JSONValue, _ st: JSONataFastState) throws(JSONataFastBail) -> JSONValue? {
        switch stage {
        case .predicate(let p):
            return try filter(value, p, st)
        case .index(let d):
            try st.tick()
            let count: Int
            if case .array(let items) = value { count = items.count } else { count = 1 }
            var index = JSONataClamp.int(d.rounded(.down))
            if index < 0 { index += count }
            guard index >= 0, index < count else { return nil }
            guard case .array(let items) = value else { return normalize(value) }
            // An array item is kept whole by the full evaluator, then flattened: left to it.
            if case .array = items[index] { throw JSONataFastBail() }
            return normalize(items[index])
        }
    }

    /// An order-by step over `value`'s items: each item's keys are evaluated once, then the items
    /// are merge-sorted stably with the full evaluator's comparison (undefined keys last whatever
    /// the direction). Keys that are not numbers or strings, or that mix the two in one term,
    /// bail (the full evaluator raises T2007/T2008 when it compares them).
    static func sortItems(_ terms: [FastSortKey], _ value: JSONValue, _ st: JSONataFastState) throws(JSONataFastBail) -> JSONValue? {
        guard case .array(let raw) = value else { return normalize(value) }
        if raw.isEmpty { return nil }
        var items: [JSONValue] = []
        items.reserveCapacity(raw.count)
        for item in raw {
            if case .array = item { throw JSONataFastBail() }
            items.append(normalize(item))
        }
        // One item is not compared, so its keys are never evaluated.
        if items.count == 1 { return items[0] }
        let termCount = terms.count
        var numbers = [Double](repeating: 0, count: items.count * termCount)
        var strings = [String?](repeating: nil, count: items.count * termCount)
        var defined = [Bool](repeating: false, count: items.count * termCount)
        for t in 0..<termCount {
            var sawNumber = false, sawString = false
            let term = terms[t]
            for i in items.indices {
                try st.tick()
                let key: JSONValue?
                if case .object(let o) = items[i], let record = term.record {
                    key = try record.evaluate(o, st)
                } else {
                    key = try term.run(items[i], st)
                }
                switch key {
                case nil: break
                case .number(let n)?:
                    sawNumber = true
                    numbers[i * termCount + t] = n.doubleValue
                    defined[i * termCount + t] = true
                case .string(let s)?:
                    sawString = true
                    strings[i * termCount + t] = s
                    defined[i * termCount + t] = true
                default:
                    throw JSONataFastBail()
                }
            }
            if sawNumber, sawString { throw JSONataFastBail() }
        }
        // The full evaluator's comparison (`sortGreater`): -1 keeps `a` first, 1 puts `b` first;
        // undefined keys go last whatever the direction. It is a total preorder, so its stable
        // sort is the sort by (comparison, position), which any sort algorithm gives.
        let descending = terms.map(\.descending)
        var order = Array(items.indices)
        numbers.withUnsafeBufferPointer { numbers in
            strings.withUnsafeBufferPointer { strings in
                defined.withUnsafeBufferPointer { defined in
                    descending.withUnsafeBufferPointer { descending in
                        func compare(_ a: Int, _ b: Int) -> Int {
                            for t in 0..<termCount {
                                let ka = a * termCount + t, kb = b * termCount + t
                                guard defined[ka] else {
                                    if defined[kb] { return 1 }
                                    continue
                                }
                                guard defined[kb] else { return -1 }
                                var comp: Int
                                if let x = strings[ka], let y = strings[kb] {
                                    comp = JSONataEvaluator.compareStrings(x, y)
                                } else {
                                    let x = numbers[ka], y = numbers[kb]
                                    comp = x == y ? 0 : (x < y ? -1 : 1)
                                }
                                if comp == 0 { continue }
                                if descending[t] { comp = -comp }
                                return comp
                            }
                            return 0
                        }
                        order.withUnsafeMutableBufferPointer { order in
                            order.sort { (a, b) in
                                let c = compare(a, b)
                                return c < 0 || (c == 0 && a < b)
                            }
                        }
                    }
                }
            }
        }
        return .array(order.map { items[$0] })
    }

    /// `name op literal` (or `literal op name`, flipped), the commonest predicate.
    struct SimplePredicate: Sendable {
        let key: String
        let op: JSONataBinaryOperator
        let constant: JSONValue
        /// `constant` as a number, when it is one (ordering compares numbers with numbers).
        let constantNumber: Double?
        /// The member lookup's slot in ``JSONataFastState/hints``.
        var hint = 0

        init(key: String, op: JSONataBinaryOperator, constant: JSONValue) {
            self.key = key
            self.op = op
            self.constant = constant
            constantNumber = constant.numberValue?.doubleValue
        }

        static func match(_ node: JSONataNode) -> SimplePredicate? {
            guard case .binary(let op, let l, let r, _) = node else { return nil }
            let field = JSONataFastCompiler.fieldName, literal = JSONataFastCompiler.literalValue
            let flipped: JSONataBinaryOperator
            switch op {
            case .equal, .notEqual: flipped = op
            case .less: flipped = .greater
            case .lessEqual: flipped = .greaterEqual
            case .greater: flipped = .less
            case .greaterEqual: flipped = .lessEqual
            default: return nil
            }
            if let k = field(l), let c = literal(r) { return SimplePredicate(key: k, op: op, constant: c) }
            if let c = literal(l), let k = field(r) { return SimplePredicate(key: k, op: flipped, constant: c) }
            return nil
        }

        /// Whether the item is selected; bails where the full evaluator would raise an error.
        @inline(__always)
        func selects(_ o: JSONObject, _ st: JSONataFastState) throws(JSONataFastBail) -> Bool {
            guard let v = o.value(forKey: key, hint: &st.hints[hint]) else { return false }
            switch op {
            case .equal, .notEqual:
                if isContainer(v) { return op == .notEqual }
                return strictEqual(v, constant) == (op == .equal)
            default:
                let c: Int
                // (The member alone is matched: matching a (member, constant) pair copied both.)
                switch v {
                case .number(let x):
                    guard let b = constantNumber else { throw JSONataFastBail() }
                    let a = x.doubleValue
                    c = a < b ? -1 : (a > b ? 1 : 0)
                case .string(let x):
                    guard case .string(let y) = constant else { throw JSONataFastBail() }
                    c = JSONataEvaluator.compareStrings(x, y)
                default:
                    throw JSONataFastBail()
                }
                switch op {
                case .less: return c < 0
                case .lessEqual: return c <= 0
                case .greater: return c > 0
                default: return c >= 0
                }
            }
        }
    }

    /// The field of a one-step, stage-free name path (`price`), the commonest operand.
    static func fieldName(_ node: JSONataNode) -> String? {
        guard case .path(let p) = node, p.steps.count == 1, !p.keepSingletonArray, !p.tuple, p.group == nil else { return nil }
        let s = p.steps[0]
        guard s.stages.isEmpty, s.focus == nil, s.index == nil, !s.tuple, s.ancestor == nil, !s.consArray,
              case .name(let k) = s.node, k != undefinedKey else { return nil }
        return k
    }

    /// The value of a literal node (`null` is `.null`); `nil` for anything else.
    static func literalValue(_ node: JSONataNode) -> JSONValue? {
        switch node {
        case .number(let d) where d.isFinite: return .number(JSONNumber(d))
        case .string(let t): return .string(t)
        case .literal(let b): return b.map { .bool($0) } ?? .null
        default: return nil
        }
    }

    /// The ``RecordFn`` form of the nodes that only read the context object's own members, bound
    /// variables and literals: `{"sku": sku, "total": price * qty}`. Each behaves (results, bails,
    /// work counted) exactly as ``compile(_:level:context:)``'s closure on `.object(record)`.
    static func compileRecordOperand(_ node: JSONataNode, level: Int, context: inout FastCompileContext) -> RecordOperand? {
        context.depth = max(context.depth, level)
        if let key = fieldName(node) { return .field(key, hint: context.newHintSlot()) }
        if let v = literalValue(node) { return .constant(v) }
        return compileRecord(node, level: level, context: &context).map { .computed($0) }
    }

    static func compileRecord(_ node: JSONataNode, level: Int, context: inout FastCompileContext) -> RecordFn? {
        context.depth = max(context.depth, level)
        if let key = fieldName(node) {
            return { record, st throws(JSONataFastBail) in
                try st.tick()
                guard let v = record[key] else { return nil }
                return normalize(v)
            }
        }
        if let v = literalValue(node) { return { _, _ in v } }
        switch node {
        case .variable(let name) where !name.isEmpty && name != "$":
            if let slot = context.locals[name] { return { _, st in st.locals[slot] } }
            return { _, st throws(JSONataFastBail) in
                guard let v = st.bindings[name] else { throw JSONataFastBail() }
                return normalize(v)
            }
        case .binary(let op, let l, let r, _):
            guard let lf = compileRecordOperand(l, level: level + 1, context: &context), let rf = compileRecordOperand(r, level: level + 1, context: &context) else { return nil }
            return compileRecordBinary(op, lf, rf)
        case .negate(let e, _):
            guard let f = compileRecord(e, level: level + 1, context: &context) else { return nil }
            return { record, st throws(JSONataFastBail) in
                try st.tick()
                guard let v = try f(record, st) else { return nil }
                guard case .number(let n) = v else { throw JSONataFastBail() }
                return .number(JSONNumber(-n.doubleValue))
            }
        case .block(let exprs) where exprs.count == 1:
            if case .bind = exprs[0] { return nil }
            guard let f = compileRecord(exprs[0], level: level + 1, context: &context) else { return nil }
            return { record, st throws(JSONataFastBail) in
                try st.tick()
                return try f(record, st)
            }
        case .objectConstructor(let g):
            guard let keys = objectKeys(g) else { return nil }
            var values: [RecordOperand] = []
            for (_, v) in g.pairs {
                guard let f = compileRecordOperand(v, level: level + 3, context: &context) else { return nil }
                values.append(f)
            }
            return { [keys, values] record, st throws(JSONataFastBail) in
                try st.tick()
                return try makeObject(keys) { (i) throws(JSONataFastBail) in try values[i].evaluate(record, st) }
            }
        case .call(.variable(let name), let arguments, _, _):
            guard context.locals[name] == nil else { return nil }
            return compileRecordCall(name, arguments, level: level, context: &context)
        default:
            return nil
        }
    }

    static func compilePath(_ path: JSONataPath, level: Int, context: inout FastCompileContext) -> FastFn? {
        guard !path.keepSingletonArray, !path.tuple, !path.steps.isEmpty else { return nil }
        guard let group = path.group else { return compileSteps(path, level: level, context: &context) }
        guard let base = compileSteps(path, level: level, context: &context),
              let grouping = compileGroup(group, level: level, context: &context)
        else { return nil }
        return { input, st throws(JSONataFastBail) in
            try grouping(try base(input, st), st)
        }
    }

    /// A path's steps (its group-by, if any, is applied by ``compilePath(_:level:context:)``).
    private static func compileSteps(_ path: JSONataPath, level: Int, context: inout FastCompileContext) -> FastFn? {
        var steps: [FastStep] = []
        for (i, step) in path.steps.enumerated() {
            guard step.focus == nil, step.index == nil, !step.tuple, step.ancestor == nil, !step.consArray else { return nil }
            var key: String? = nil
            var fn: FastFn? = nil
            var record: RecordFn? = nil
            var sort: [FastSortKey]? = nil
            switch step.node {
            case .name(let k):
                guard k != undefinedKey else { return nil }
                key = k
            case .variable where i > 0: return nil
            case .sort(let terms, _):
                var keys: [FastSortKey] = []
                for term in terms {
                    guard let f = compile(term.expression, level: level + 4, context: &context) else { return nil }
                    let record = compileRecordOperand(term.expression, level: level + 4, context: &context)
                    keys.append(FastSortKey(run: f, record: record, descending: term.descending))
                }
                sort = keys
            case .path: return nil
            default:
                guard let f = compile(step.node, level: level + 2, context: &context) else { return nil }
                fn = f
                record = compileRecord(step.node, level: level + 2, context: &context)
            }
            var fs: [FastBox] = []
            var simple: SimplePredicate? = nil
            var stages: [FastStage] = []
            var hasIndex = false
            for stage in step.stages {
                guard case .filter(let e) = stage else { return nil }
                if case .number(let d) = e {
                    stages.append(.index(d))
                    hasIndex = true
                    continue
                }
                guard let f = compile(e, level: level + 4, context: &context) else { return nil }
                fs.append(FastBox(run: f))
                stages.append(.predicate(f))
                simple = SimplePredicate.match(e)
                if simple != nil { simple!.hint = context.newHintSlot() }
            }
            steps.append(FastStep(
                key: key, fn: fn, record: record, filters: fs, simple: hasIndex ? nil : simple, indexed: hasIndex || sort != nil ? stages : nil,
                sort: sort))
        }
        let firstIsVariable = path.steps[0].isVariable
        let compiled = steps
        if let s = steps.firstIndex(where: { $0.sort != nil }) {
            // An order-by step needs every item reaching it: the steps before it are collected,
            // sorted and staged, then the items flow on through the steps after it.
            guard !steps[(s + 1)...].contains(where: { $0.sort != nil }) else { return nil }
            let head = Array(steps[..<s]), sortStep = steps[s], tail = Array(steps[(s + 1)...])
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                let reaching: JSONValue?
                if head.isEmpty {
                    reaching = isUndefinedContext(input) ? nil : input
                } else {
                    reaching = try runPath(head, firstIsVariable, input, st)
                }
                guard let reaching, var sorted = try sortItems(sortStep.sort!, reaching, st) else { return nil }
                for stage in sortStep.indexed! {
                    guard let staged = try applyStage(stage, sorted, st) else { return nil }
                    sorted = staged
                }
                if tail.isEmpty { return sorted }
                return try runPath(tail, false, sorted, st)
            }
        }
        // A chain of plain names after a first step (`$v.price`, `$states.input.items`): looked
        // up member by member while each value is an object, handing over to the item-by-item
        // walk at the first array (where it would start mapping).
        if steps.count >= 2, steps.allSatisfy({ $0.filters.isEmpty && $0.indexed == nil }),
           steps.dropFirst().allSatisfy({ $0.key != nil }) {
            let keys = steps.dropFirst().map { $0.key! }
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                if !firstIsVariable, case .array = input { return try runPath(compiled, firstIsVariable, input, st) }
                guard var value = try applyStep(compiled[0], input, st) else { return nil }
                for j in keys.indices {
                    guard case .object(let o) = value else {
                        guard case .array = value else { return nil }
                        var out = PathOutput()
                        try pushEach(compiled, j + 1, value, &out, st)
                        return out.result
                    }
                    try st.tick()
                    guard let member = o[keys[j]] else { return nil }
                    value = normalize(member)
                }
                return value
            }
        }
        // A single name step (`price`) is by far the most common path: look it up directly.
        if steps.count == 1, let key = steps[0].key, steps[0].filters.isEmpty, steps[0].indexed == nil {
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                switch input {
                case .object(let o):
                    guard let v = o[key] else { return nil }
                    return normalize(v)
                case .array: return try runPath(compiled, firstIsVariable, input, st)
                default: return nil
                }
            }
        }
        return { input, st throws(JSONataFastBail) in
            try st.tick()
            return try runPath(compiled, firstIsVariable, input, st)
        }
    }

    @inline(__always)
    private static func applyStep(_ step: FastStep, _ item: JSONValue, _ st: JSONataFastState) throws(JSONataFastBail) -> JSONValue? {
        try st.tick()
        if let key = step.key {
            guard case .object(let o) = item, let v = o[key] else { return nil }
            return normalize(v)
        }
        return try step.fn!(item, st)
    }

    /// Where a path's last step puts its results.
    private struct PathOutput {
        var acc = JSONataFastAccumulator()
        var rawCount = 0
        var lastRaw: JSONValue? = nil

        /// A raw result of a filter-less last step: a lone one is returned verbatim (a JSON array
        /// stays an array), several are flattened.
        mutating func addRaw(_ r: consuming JSONValue) throws(JSONataFastBail) {
            rawCount += 1
            if rawCount == 1 { lastRaw = consume r; return }
            if rawCount == 2, let l = lastRaw.take() { try acc.addFlattening(l) }
            try acc.addFlattening(consume r)
        }

        var result: JSONValue? { rawCount == 1 ? lastRaw : acc.result }
    }

    /// Calls `body` with each item of a value (array elements, else the value), borrowing objects.
    @inline(__always)
    private static func forEachItem(_ value: JSONValue, _ body: (JSONValue) throws(JSONataFastBail) -> Void) throws(JSONataFastBail) {
        guard case .array(let items) = value else { return try body(value) }
        try items.withUnsafeBufferPointer { (buf) throws(JSONataFastBail) in
            for j in buf.indices {
                switch buf[j] {
                case .array: throw JSONataFastBail()
                case .object: try body(buf[j])
                default: try body(normalize(buf[j]))
                }
            }
        }
    }

    /// Items flow depth-first through the steps into one output. Each step maps over its input
    /// items independently, so this yields the step-by-step evaluation's items in the same order,
    /// without materialising the intermediate sequences.
    private static func runPath(_ steps: [FastStep], _ firstIsVariable: Bool, _ input: JSONValue, _ st: JSONataFastState) throws(JSONataFastBail) -> JSONValue? {
        var out = PathOutput()
        if case .array = input, !firstIsVariable {
            try pushEach(steps, 0, input, &out, st)
        } else {
            try push(steps[0], steps, 0, input, &out, st)
        }
        return out.result
    }

    /// Feeds each item of `value` (array elements, else the value itself) to step `i`. The step is
    /// fetched once per value, not once per item, and items are handed on borrowed: every copy of
    /// an object item retains its three buffers.
    private static func pushEach(_ steps: [FastStep], _ i: Int, _ value: JSONValue, _ out: inout PathOutput, _ st: JSONataFastState) throws(JSONataFastBail) {
        let step = steps[i]
        guard case .array(let items) = value else { return try push(step, steps, i, value, &out, st) }
        out.acc.reserve(items.count)
        let isName = step.key != nil
        let isRecord = step.record != nil
        try items.withUnsafeBufferPointer { (buf) throws(JSONataFastBail) in
            for j in buf.indices {
                switch buf[j] {
                case .array: throw JSONataFastBail()
                case .object(let o) where isName: try pushName(step, steps, i, o, &out, st)
                case .object(let o) where isRecord: try pushRecord(step, steps, i, o, &out, st)
                case .object: try push(step, steps, i, buf[j], &out, st)
                default: try push(step, steps, i, normalize(buf[j]), &out, st)
                }
            }
        }
    }

    /// Runs step `i` (`step`) on one item and passes its results on to the next step or the output.
    private static func push(
        _ step: FastStep, _ steps: [FastStep], _ i: Int, _ item: JSONValue, _ out: inout PathOutput, _ st: JSONataFastState
    ) throws(JSONataFastBail) {
        guard let r = try applyStep(step, item, st) else { return }
        try pushResult(step, steps, i, r, &out, st)
    }

    /// ``push`` of a name step (`step.key` set) on an object item that is already unwrapped: the
    /// member is read straight from it, without matching and copying the object again. (Other
    /// steps take the item whole: wrapping it back up would copy it.)
    private static func pushName(
        _ step: FastStep, _ steps: [FastStep], _ i: Int, _ o: JSONObject, _ out: inout PathOutput, _ st: JSONataFastState
    ) throws(JSONataFastBail) {
        try st.tick()
        guard let key = step.key, let v = o[key] else { return }
        try pushResult(step, steps, i, normalize(v), &out, st)
    }

    /// ``push`` of a step with a ``RecordFn`` form on an object item that is already unwrapped.
    private static func pushRecord(
        _ step: FastStep, _ steps: [FastStep], _ i: Int, _ o: JSONObject, _ out: inout PathOutput, _ st: JSONataFastState
    ) throws(JSONataFastBail) {
        try st.tick()
        guard let r = try step.record!(o, st) else { return }
        try pushResult(step, steps, i, r, &out, st)
    }

    /// Step `i`'s filters over its result `r`, then on to the next step or the output.
    private static func pushResult(
        _ step: FastStep, _ steps: [FastStep], _ i: Int, _ result: consuming JSONValue, _ out: inout PathOutput, _ st: JSONataFastState
    ) throws(JSONataFastBail) {
        let isLast = i == steps.count - 1
        var r = result
        if let stages = step.indexed {
            for stage in stages {
                guard let staged = try applyStage(stage, r, st) else { return }
                r = staged
            }
            // A staged step yields a sequence, which is always flattened, never kept verbatim.
            let next = isLast ? nil : steps[i + 1]
            return try forEachItem(r) { (item) throws(JSONataFastBail) in
                if let next { try push(next, steps, i + 1, item, &out, st) } else { out.acc.add(item) }
            }
        }
        let filterCount = step.filters.count
        if filterCount == 0 {
            if isLast { return try out.addRaw(r) }
            return try pushEach(steps, i + 1, r, &out, st)
        }
        for k in 0..<(filterCount - 1) {
            guard let f = try filter(r, step.filters[k].run, st) else { return }
            r = f
        }
        if let sp = step.simple, case .array(let items) = r {
            out.acc.reserve(items.count)
            let next = isLast ? nil : steps[i + 1]
            // Inline `field op literal` over the candidates: no closure calls, and each candidate
            // object is copied once (for the test) and that copy is what moves on.
            try items.withUnsafeBufferPointer { (buf) throws(JSONataFastBail) in
                for j in buf.indices {
                    try st.tick(5)
                    guard case .object(let o) = buf[j] else {
                        if case .array = buf[j] { throw JSONataFastBail() }
                        // A field of a non-object is undefined: `=`/`!=` false, comparisons undefined.
                        continue
                    }
                    guard try sp.selects(o, st) else { continue }
                    guard let next else { out.acc.add(.object(o)); continue }
                    if next.key != nil {
                        try pushName(next, steps, i + 1, o, &out, st)
                    } else if next.record != nil {
                        try pushRecord(next, steps, i + 1, o, &out, st)
                    } else {
                        try push(next, steps, i + 1, .object(o), &out, st)
                    }
                }
            }
            return
        }
        let predicate = step.filters[filterCount - 1].run
        let next = isLast ? nil : steps[i + 1]
        try forEachItem(r) { (candidate) throws(JSONataFastBail) in
            guard try selects(try predicate(candidate, st)) else { return }
            // A filtered step yields a sequence, which is always flattened, never kept verbatim.
            if let next { try push(next, steps, i + 1, candidate, &out, st) } else { out.acc.add(candidate) }
        }
    }

    // MARK: operators

    static func compileBinary(_ op: JSONataBinaryOperator, _ lf: @escaping FastFn, _ rf: @escaping FastFn) -> FastFn? {
        switch op {
        case .and:
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                if !boolean(try lf(input, st)) { return .bool(false) }
                return .bool(boolean(try rf(input, st)))
            }
        case .or:
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                if boolean(try lf(input, st)) { return .bool(true) }
                return .bool(boolean(try rf(input, st)))
            }
        case .range:
            return nil
        default:
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                return try applyBinary(op, try lf(input, st), try rf(input, st))
            }
        }
    }

    /// ``compileBinary`` over an unwrapped object context (see ``RecordFn``); the same operators.
    static func compileRecordBinary(_ op: JSONataBinaryOperator, _ lf: RecordOperand, _ rf: RecordOperand) -> RecordFn? {
        switch op {
        case .and:
            return { record, st throws(JSONataFastBail) in
                try st.tick()
                if !boolean(try lf.evaluate(record, st)) { return .bool(false) }
                return .bool(boolean(try rf.evaluate(record, st)))
            }
        case .or:
            return { record, st throws(JSONataFastBail) in
                try st.tick()
                if boolean(try lf.evaluate(record, st)) { return .bool(true) }
                return .bool(boolean(try rf.evaluate(record, st)))
            }
        case .range:
            return nil
        default:
            return { record, st throws(JSONataFastBail) in
                try st.tick()
                return try applyBinary(op, try lf.evaluate(record, st), try rf.evaluate(record, st))
            }
        }
    }

    /// The operators that evaluate both operands (all but `and`, `or` and `..`), on their values.
    @inline(__always)
    static func applyBinary(_ op: JSONataBinaryOperator, _ l: JSONValue?, _ r: JSONValue?) throws(JSONataFastBail) -> JSONValue? {
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo:
            var a = 0.0
            var b = 0.0
            switch l {
            case .number(let n)?: a = n.doubleValue
            case nil: break
            default: throw JSONataFastBail()
            }
            switch r {
            case .number(let n)?: b = n.doubleValue
            case nil: break
            default: throw JSONataFastBail()
            }
            guard l != nil, r != nil else { return nil }
            let d: Double
            switch op {
            case .add: d = a + b
            case .subtract: d = a - b
            case .multiply: d = a * b
            case .divide: d = a / b
            default: d = a.truncatingRemainder(dividingBy: b)
            }
            guard d.isFinite, a.isFinite, b.isFinite else { throw JSONataFastBail() }
            return .number(JSONNumber(d))
        case .equal, .notEqual:
            guard let l, let r else { return .bool(false) }
            if isContainer(l), isContainer(r) { throw JSONataFastBail() }
            return .bool(strictEqual(l, r) == (op == .equal))
        case .less, .lessEqual, .greater, .greaterEqual:
            let c: Int
            switch (l, r) {
            case (.number(let x)?, .number(let y)?):
                let a = x.doubleValue, b = y.doubleValue
                c = a < b ? -1 : (a > b ? 1 : 0)
            case (.string(let x)?, .string(let y)?):
                c = JSONataEvaluator.compareStrings(x, y)
            case (nil, nil), (nil, .number?), (nil, .string?), (.number?, nil), (.string?, nil):
                return nil
            default:
                throw JSONataFastBail()
            }
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .concat:
            return .string(try stringify(l) + stringify(r))
        case .inclusion:
            guard let l, let r else { return .bool(false) }
            if case .array(let items) = r {
                for item in items where strictEqual(item, l) { return .bool(true) }
                return .bool(false)
            }
            return .bool(strictEqual(r, l))
        case .and, .or, .range:
            // Compiled separately (short-circuiting) or not at all.
            throw JSONataFastBail()
        }
    }

    static func stringify(_ v: JSONValue?) throws(JSONataFastBail) -> String {
        switch v {
        case nil: return ""
        case .string(let s)?: return s
        case .array?, .object?: throw JSONataFastBail()
        case let v?:
            do { return try JSONataStringifier.string(JSONataValue(v)) } catch { throw JSONataFastBail() }
        }
    }

    // MARK: objects

    /// An object constructor's constant, distinct keys; `nil` when a key is computed or repeated
    /// (grouping then merges values, which the full evaluator does).
    static func objectKeys(_ g: JSONataGroup) -> [String]? {
        var keys: [String] = []
        for (k, _) in g.pairs {
            guard case .string(let key) = k, !keys.contains(key), key != JSONataMutableNode.hiddenKey else { return nil }
            keys.append(key)
        }
        return keys
    }

    static func compileObject(_ g: JSONataGroup, level: Int, context: inout FastCompileContext) -> FastFn? {
        guard let keys = objectKeys(g) else { return nil }
        var values: [FastBox] = []
        for (_, v) in g.pairs {
            guard let f = compile(v, level: level + 3, context: &context) else { return nil }
            values.append(FastBox(run: f))
        }
        return { [keys, values] input, st throws(JSONataFastBail) in
            try st.tick()
            if case .array = input { throw JSONataFastBail() }
            return try makeObject(keys) { (i) throws(JSONataFastBail) in try values[i].run(input, st) }
        }
    }

    /// Builds `{keys[i]: value(i)}`, leaving out undefined members, evaluating each value once.
    @inline(__always)
    static func makeObject(_ keys: [String], _ value: (Int) throws(JSONataFastBail) -> JSONValue?) throws(JSONataFastBail) -> JSONValue {
        .object(try JSONObject(uncheckedUniqueKeys: keys, valueAt: value))
    }
}

/// The aggregation built-ins the fast path evaluates itself, with jsonata-js's results: `$count`
/// of undefined is `0`; `$sum` of undefined is undefined; `$max`, `$min` and `$average` of
/// undefined or of an empty array are undefined. Anything but numbers (where numbers are
/// required) bails: the full evaluator raises the signature error.
enum FastAggregate: String {
    case sum, count, max, min, average

    func apply(_ value: JSONValue?, _ st: JSONataFastState) throws(JSONataFastBail) -> JSONValue? {
        if self == .count {
            guard let value else { return .int(0) }
            if case .array(let items) = value { return .int(items.count) }
            return .int(1)
        }
        guard let value else { return nil }
        // One pass, no array: the sum in item order (as jsonata-js adds them), the extremes, the count.
        var sum = 0.0, smallest = Double.infinity, largest = -Double.infinity, count = 0
        func add(_ n: JSONNumber) {
            let d = n.doubleValue
            sum += d
            smallest = Swift.min(smallest, d)
            largest = Swift.max(largest, d)
            count += 1
        }
        switch value {
        case .number(let n):
            add(n)
        case .array(let items):
            try st.tick(items.count / 8)
            for item in items {
                guard case .number(let n) = item else { throw JSONataFastBail() }
                add(n)
            }
        default:
            throw JSONataFastBail()
        }
        let result: Double
        switch self {
        case .sum: result = sum
        case .max: guard count > 0 else { return nil }; result = largest
        case .min: guard count > 0 else { return nil }; result = smallest
        case .average: guard count > 0 else { return nil }; result = sum / Double(count)
        case .count: return nil  // answered above
        }
        guard result.isFinite else { throw JSONataFastBail() }
        return .number(JSONNumber(result))
    }
}
