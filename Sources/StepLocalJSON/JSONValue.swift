/// The one JSON value type of StepLocal, shared by JSONPath, JSONata, intrinsics, the engine and
/// the API layer, so that no conversion happens between a state's stages.
///
/// It is a closed, `Sendable` enum: no `Any`, and numbers keep enough of their literal form to be
/// printed back as AWS prints them (see ``JSONNumber``).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// AWS's name for the JSON type of a value, as used in its error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Member lookup that treats non-objects as having no members.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// Convenience for integers, the common case in tests and intrinsic results.
    public static func int(_ value: Int) -> JSONValue { .number(.int(Int64(value))) }

    /// Convenience for computed floating-point results.
    public static func double(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .number(.int(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(pairs: elements, repeatedKeys: .lastWins))
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text, as AWS prints payloads in histories and API responses.
    public var description: String { serialized() }
}

extension JSONValue {
    /// The most levels of arrays and objects a payload may nest: what ``JSONParser`` reads, and
    /// what the engine lets a state's output or a variable reach. A loop that wraps its value once
    /// per turn would otherwise build one deeper than any walk over it (serialising, comparing,
    /// releasing) can follow on a thread's stack.
    public static let maximumNestingDepth = JSONParser.maximumDepth

    /// True when arrays and objects nest more than `limit` levels in this value. Stops descending
    /// past the limit, so the walk itself stays shallow even on a deeper value.
    public func nestingExceeds(_ limit: Int = JSONValue.maximumNestingDepth) -> Bool {
        switch self {
        case .array(let items):
            if limit <= 0 { return true }
            for item in items where item.nestingExceeds(limit - 1) { return true }
            return false
        case .object(let members):
            if limit <= 0 { return true }
            for (_, member) in members where member.nestingExceeds(limit - 1) { return true }
            return false
        default:
            return false
        }
    }
}
