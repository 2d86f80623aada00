import StepLocalJSON

/// Built-in calls in the fast path: the everyday string and boolean functions, and `$map`/`$filter`
/// over an inline lambda. Each computes exactly what its ``JSONataBuiltins`` body computes after
/// signature validation, and bails wherever validation or the body would raise an error (a number
/// given to `$uppercase`, a non-string in `$join`'s array...) so the full evaluator reports it.
enum FastFunction: String {
    case uppercase, lowercase, string, length, join, boolean, not, exists

    /// Whether the fast path evaluates a call with `count` arguments (context-defaulted forms such
    /// as `$uppercase()` and optional flags such as `$string(x, true)` are left to the full evaluator).
    func accepts(_ count: Int) -> Bool {
        self == .join ? (count == 1 || count == 2) : count == 1
    }

    /// The result for the arguments' values (`second` only for `$join`'s separator).
    @inline(__always)
    func apply(_ first: JSONValue?, _ second: JSONValue?) throws(JSONataFastBail) -> JSONValue? {
        switch self {
        case .uppercase, .lowercase:
            guard let first else { return nil }
            guard case .string(let s) = first else { throw JSONataFastBail() }
            if let mapped = FastFunction.asciiCaseMapped(s, upper: self == .uppercase) { return .string(mapped) }
            return .string(self == .uppercase ? s.uppercased() : s.lowercased())
        case .string:
            guard let first else { return nil }
            switch first {
            case .string: return first
            case .number(.int(let i)) where i > -1_000_000_000_000_000 && i < 1_000_000_000_000_000:
                // What `JSONataStringifier.jsNumber` gives an integral double below 1e15.
                return .string(String(i))
            default:
                do { return .string(try JSONataStringifier.string(JSONataValue(first))) } catch { throw JSONataFastBail() }
            }
        case .length:
            guard let first else { return nil }
            guard case .string(let s) = first else { throw JSONataFastBail() }
            return .number(JSONNumber(Double(s.unicodeScalars.count)))
        case .join:
            // (The separator's type is validated even when the array is undefined.)
            var separator = ""
            if let second {
                guard case .string(let s) = second else { throw JSONataFastBail() }
                separator = s
            }
            guard let first else { return nil }
            switch first {
            case .string: return first
            case .array(let items):
                var bytes = separator.utf8.count * Swift.max(0, items.count - 1)
                for item in items {
                    guard case .string(let s) = item else { throw JSONataFastBail() }
                    bytes += s.utf8.count
                }
                if bytes > JSONataLimits.maximumStringBytes { throw JSONataFastBail() }
                var out = ""
                out.reserveCapacity(bytes)
                for (i, item) in items.enumerated() {
                    if i > 0 { out += separator }
                    if case .string(let s) = item { out += s }
                }
                return .string(out)
            default:
                throw JSONataFastBail()
            }
        case .boolean:
            guard let first else { return nil }
            return .bool(JSONataFastCompiler.boolean(first))
        case .not:
            guard let first else { return nil }
            return .bool(!JSONataFastCompiler.boolean(first))
        case .exists:
            return .bool(first != nil)
        }
    }
}

extension FastFunction {
    /// `uppercased()`/`lowercased()` of an all-ASCII string, byte by byte (where they change only
    /// `a`-`z`/`A`-`Z`); `nil` for any other string, which takes the Unicode case mapping.
    static func asciiCaseMapped(_ text: String, upper: Bool) -> String? {
        var s = text
        return s.withUTF8 { (bytes) -> String? in
            var needsChange = false
            for b in bytes {
                if b >= 0x80 { return nil }
                if upper ? (b >= 0x61 && b <= 0x7A) : (b >= 0x41 && b <= 0x5A) { needsChange = true }
            }
            if !needsChange { return text }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for i in 0..<bytes.count {
                    let b = bytes[i]
                    if upper {
                        out[i] = b >= 0x61 && b <= 0x7A ? b &- 0x20 : b
                    } else {
                        out[i] = b >= 0x41 && b <= 0x5A ? b &+ 0x20 : b
                    }
                }
                return bytes.count
            }
        }
    }
}

/// An inline lambda compiled for a higher-order built-in: its parameters' slots and its body.
struct FastLambda: Sendable {
    let slots: [Int]
    let body: FastFn

    /// Binds `(value, index, array)` as jsonata-js's `hofFuncArgs` passes them: as many as the
    /// lambda declares; parameters past the third are undefined.
    @inline(__always)
    func bind(_ value: JSONValue, _ index: Int, _ array: JSONValue, _ st: JSONataFastState) {
        for (p, slot) in slots.enumerated() {
            switch p {
            case 0: st.locals[slot] = value
            case 1: st.locals[slot] = .int(index)
            case 2: st.locals[slot] = array
            default: st.locals[slot] = nil
            }
        }
    }
}

extension JSONataFastCompiler {
    /// `$name(arguments)` for a built-in other than the aggregates (which ``compile(_:level:context:)`` handles).
    static func compileCall(_ name: String, _ arguments: [JSONataNode], level: Int, context: inout FastCompileContext) -> FastFn? {
        if name == "map" || name == "filter" {
            guard arguments.count == 2, case .lambda(let definition) = arguments[1],
                  let array = compile(arguments[0], level: level + 1, context: &context),
                  let lambda = compileLambda(definition, level: level + 4, context: &context)
            else { return nil }
            context.calledBuiltins.insert(name)
            let keepsResults = name == "map"
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                guard let value = try array(input, st) else { return nil }
                return try applyHigherOrder(keepsResults, value, lambda, input, st)
            }
        }
        guard let function = FastFunction(rawValue: name), function.accepts(arguments.count) else { return nil }
        guard let first = compile(arguments[0], level: level + 1, context: &context) else { return nil }
        context.calledBuiltins.insert(name)
        if arguments.count == 2 {
            guard let second = compile(arguments[1], level: level + 1, context: &context) else { return nil }
            return { input, st throws(JSONataFastBail) in
                try st.tick()
                return try function.apply(try first(input, st), try second(input, st))
            }
        }
        return { input, st throws(JSONataFastBail) in
            try st.tick()
            return try function.apply(try first(input, st), nil)
        }
    }

    /// ``compileCall(_:_:level:context:)``'s ``RecordFn`` form, for the functions of ``FastFunction``
    /// (their arguments read in place from the record).
    static func compileRecordCall(_ name: String, _ arguments: [JSONataNode], level: Int, context: inout FastCompileContext) -> RecordFn? {
        guard let function = FastFunction(rawValue: name), function.accepts(arguments.count),
              let first = compileRecordOperand(arguments[0], level: level + 1, context: &context)
        else { return nil }
        context.calledBuiltins.insert(name)
        if arguments.count == 2 {
            guard let second = compileRecordOperand(arguments[1], level: level + 1, context: &context) else { return nil }
            return { record, st throws(JSONataFastBail) in
                try st.tick()
                return try function.apply(try first.evaluate(record, st), try second.evaluate(record, st))
            }
        }
        return { record, st throws(JSONataFastBail) in
            try st.tick()
            return try function.apply(try first.evaluate(record, st), nil)
        }
    }

    /// A lambda written inline as a built-in's argument: each parameter gets a local slot that
    /// shadows bindings of the same name while its body compiles. Signatures and repeated
    /// parameter names are left to the full evaluator.
    static func compileLambda(_ definition: JSONataLambdaDefinition, level: Int, context: inout FastCompileContext) -> FastLambda? {
        guard definition.signature == nil, !definition.thunk, Set(definition.parameters).count == definition.parameters.count else { return nil }
        let outer = context.locals
        defer { context.locals = outer }
        var slots: [Int] = []
        for p in definition.parameters {
            let slot = context.newLocalSlot()
            context.locals[p] = slot
            slots.append(slot)
        }
        var body = definition.body
        // A tail call in the body is wrapped in a thunk for the trampoline; called once from a
        // built-in, the thunk just evaluates the call in the lambda's scope.
        if case .lambda(let thunk) = body, thunk.thunk, thunk.parameters.isEmpty, thunk.signature == nil { body = thunk.body }
        guard let f = compile(body, level: level + 1, context: &context) else { return nil }
        return FastLambda(slots: slots, body: f)
    }

    /// `$map` (`keepsResults`) or `$filter` of `value` with `lambda`, as the built-ins iterate: a
    /// non-array is a one-item array; undefined results are dropped; the result is a sequence.
    /// Nested arrays bail (as items or as `$map` results), so the sequence needs no flattening rules.
    static func applyHigherOrder(
        _ keepsResults: Bool, _ value: JSONValue, _ lambda: FastLambda, _ input: JSONValue, _ st: JSONataFastState
    ) throws(JSONataFastBail) -> JSONValue? {
        let array: JSONValue
        if case .array = value { array = value } else { array = .array([normalize(value)]) }
        guard case .array(let items) = array else { return nil }
        var acc = JSONataFastAccumulator()
        acc.reserve(items.count)
        for i in items.indices {
            if case .array = items[i] { throw JSONataFastBail() }
            try st.tick()
            let item = normalize(items[i])
            lambda.bind(item, i, array, st)
            let result = try lambda.body(input, st)
            if keepsResults {
                guard let result else { continue }
                if case .array = result { throw JSONataFastBail() }
                acc.add(result)
            } else if boolean(result) {
                acc.add(item)
            }
        }
        return acc.result
    }
}
