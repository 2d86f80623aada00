import OrderedCollections
import StepLocalJSON

/// The evaluator's value: JSON plus what JSON cannot hold (sequences with their flattening flags,
/// functions, tuple streams). Undefined is Swift's `nil` (`JSONataValue?`).
///
/// Input documents are not converted up front: `.jsonArray`/`.jsonObject` wrap the caller's
/// `JSONValue` containers and are unwrapped one level at a time as paths walk into them, so a large
/// input costs nothing until it is read.
enum JSONataValue {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// An array built during evaluation (or a sequence), with JSONata's flags.
    case array([JSONataValue], JSONataArrayFlags)
    /// An object built during evaluation.
    case object(OrderedDictionary<String, JSONataValue>)
    /// An untouched input array.
    case jsonArray([JSONValue])
    /// An untouched input object.
    case jsonObject(JSONObject)
    /// A lambda, built-in, host function or partial application.
    case function(JSONataCallable)
    /// A stream of tuples (context plus `@`/`#`/parent bindings) flowing through a path.
    case tuples([JSONataTuple])
}

extension JSONataValue {
    /// Wraps a JSON value without copying containers.
    @inline(__always)
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n.doubleValue)
        case .string(let s): self = .string(s)
        case .array(let a): self = .jsonArray(a)
        case .object(let o): self = .jsonObject(o)
        }
    }

    static func sequence(_ items: [JSONataValue] = []) -> JSONataValue { .array(items, .sequence) }

    /// True when arrays and objects built during evaluation nest more than `limit` levels in this
    /// value (the JSON it wraps unread is not counted: it is bounded where it was parsed). Stops
    /// descending past the limit, so the walk itself stays shallow.
    func constructedNestingExceeds(_ limit: Int) -> Bool {
        switch self {
        case .array(let items, _):
            if limit <= 0 { return true }
            for item in items where item.constructedNestingExceeds(limit - 1) { return true }
            return false
        case .object(let members):
            if limit <= 0 { return true }
            for member in members.values where member.constructedNestingExceeds(limit - 1) { return true }
            return false
        default:
            return false
        }
    }

    var isArray: Bool {
        switch self {
        case .array, .jsonArray: return true
        default: return false
        }
    }

    var isObject: Bool {
        switch self {
        case .object, .jsonObject: return true
        default: return false
        }
    }

    var isSequence: Bool {
        if case .array(_, let f) = self { return f.contains(.sequence) }
        return false
    }

    var flags: JSONataArrayFlags {
        if case .array(_, let f) = self { return f }
        return []
    }

    var isFunction: Bool {
        if case .function = self { return true }
        return false
    }

    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }

    var isString: Bool {
        if case .string = self { return true }
        return false
    }

    /// Elements of an array value (wrapping input elements); `nil` for non-arrays.
    var arrayItems: [JSONataValue]? {
        switch self {
        case .array(let a, _): return a
        case .jsonArray(let a): return a.map(JSONataValue.init)
        default: return nil
        }
    }

    /// The value as an item list: arrays give their elements, anything else is a singleton.
    var asItems: [JSONataValue] {
        arrayItems ?? [self]
    }

    var arrayCount: Int {
        switch self {
        case .array(let a, _): return a.count
        case .jsonArray(let a): return a.count
        default: return 1
        }
    }

    /// Object members in order; `nil` for non-objects.
    var objectEntries: OrderedDictionary<String, JSONataValue>? {
        switch self {
        case .object(var o):
            if o.keys.first == JSONataMutableNode.hiddenKey { o.removeValue(forKey: JSONataMutableNode.hiddenKey) }
            return o
        case .jsonObject(let o):
            var d = OrderedDictionary<String, JSONataValue>(minimumCapacity: o.count)
            for (k, v) in o { d[k] = JSONataValue(v) }
            return d
        default: return nil
        }
    }

    var objectKeys: [String] {
        switch self {
        case .object(let o): return o.keys.filter { $0 != JSONataMutableNode.hiddenKey }
        case .jsonObject(let o): return Array(o.keys)
        default: return []
        }
    }

    /// Member lookup on an object value.
    @inline(__always)
    func member(_ key: String) -> JSONataValue? {
        switch self {
        case .object(let o): return o[key]
        case .jsonObject(let o):
            if let v = o[key] { return JSONataValue(v) }
            return nil
        default: return nil
        }
    }

    /// jsonata's type name, as `$type` returns it.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array, .jsonArray, .tuples: return "array"
        case .object, .jsonObject: return "object"
        case .function: return "function"
        }
    }

    /// Whether a function sits anywhere in the value (JSON cannot hold one).
    var containsFunction: Bool {
        switch self {
        case .function: return true
        case .array(let items, _): return items.contains { $0.containsFunction }
        case .object(let o): return o.values.contains { $0.containsFunction }
        case .tuples(let t): return t.contains { $0.context?.containsFunction ?? false }
        case .null, .bool, .number, .string, .jsonArray, .jsonObject: return false
        }
    }

    /// Converts to JSON at the API boundary; functions become `""` as in jsonata's stringification.
    func toJSON() -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return .number(JSONNumber(d))
        case .string(let s): return .string(s)
        case .array(let a, _): return .array(a.map { $0.toJSON() })
        case .jsonArray(let a): return .array(a)
        case .object(let o):
            var out = JSONObject(minimumCapacity: o.count)
            for (k, v) in o { out[k] = v.toJSON() }
            return .object(out)
        case .jsonObject(let o): return .object(o)
        case .function: return .string("")
        case .tuples(let t): return .array(t.compactMap { $0.context?.toJSON() })
        }
    }
}
