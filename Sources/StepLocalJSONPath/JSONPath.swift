public import StepLocalJSON

/// A compiled JSONPath in the dialect AWS Step Functions uses (Jayway's), parsed once at
/// definition load and evaluated on every state transition.
///
/// Reference paths (names and single indexes, e.g. `$.a.b[0]`) take an allocation-free loop;
/// everything else (wildcards, slices, unions, deep scan, filters, functions) goes through
/// ``JSONPathEvaluator``. Equality and hashing use the text.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// What the leading `$` refers to.
    public enum Root: Sendable, Hashable {
        /// `$`: the state input (or effective input/result, depending on the field).
        case input
        /// `$$`: the context object.
        case context
        /// `$name`: a workflow variable.
        case variable(String)
    }

    public let text: String
    public let root: Root
    let segments: [JSONPathSegment]
    /// Only names and single indexes: the "reference path" of the States Language.
    public let isDefinite: Bool
    /// Jayway's definiteness: the path yields one value rather than a list (reference paths,
    /// plus a trailing function or a trailing `['a','b']` merge).
    let isSingleValued: Bool
    /// `$['a','b'].c`: AWS rejects multi-name steps that are not last when evaluating.
    let hasInnerUnion: Bool

    public init(_ text: String) throws(JSONPathError) {
        let (root, segments) = try JSONPathParser.parse(text)
        self.text = text
        self.root = root
        self.segments = segments
        isDefinite = segments.allSatisfy { segment in
            switch segment {
            case .name, .index: true
            default: false
            }
        }
        var innerUnion = false
        var single = true
        for (i, segment) in segments.enumerated() {
            switch segment {
            case .name, .index, .function: break
            case .names: if i != segments.count - 1 { innerUnion = true; single = false }
            default: single = false
            }
        }
        isSingleValued = single
        hasInnerUnion = innerUnion
    }

    public var description: String { text }

    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// Jayway semantics: a single-valued path returns the value, or nil when a step is missing;
    /// an indefinite path returns `.array` of every match (possibly empty). `root` is the value
    /// ``root`` names (the input, the context object or the variable's value). Throws only when a
    /// filter's `=~` ran past its bound and was stopped (``JSONPathError/Kind/matchStopped``).
    public func evaluate(in root: JSONValue) throws(JSONPathError) -> JSONValue? {
        if isDefinite {
            var current = root
            for segment in segments {
                switch segment {
                case .name(let name):
                    guard case .object(let object) = current, let member = object[name] else { return nil }
                    current = member
                case .index(let index):
                    guard case .array(let array) = current, let element = JSONPathEvaluator.element(array, index) else {
                        return nil
                    }
                    current = element
                default:
                    return nil
                }
            }
            return current
        }
        if hasInnerUnion { return nil }
        let found: [JSONValue]
        do {
            found = try JSONPathEvaluator.collect(segments, from: root, document: root)
        } catch {
            throw JSONPathError(kind: error.kind, message: error.message, path: text)
        }
        return isSingleValued ? found.first : .array(found)
    }

    /// Like ``evaluate(in:)``, but a miss throws the explanation AWS prints after
    /// `Invalid path '<path>' : ` (e.g. `No results for path: $['a']`, `Missing property in path $['a']`).
    public func resolve(in root: JSONValue) throws(JSONPathError) -> JSONValue {
        if let value = try evaluate(in: root) { return value }
        var prefix = "$"
        if hasInnerUnion {
            for segment in segments {
                if case .names = segment { break }
                prefix += segment.fragment
            }
            let union = segments.first { if case .names = $0 { true } else { false } }!
            throw notFound("Multi properties can only be used as path leafs: \(prefix)\(union.fragment)")
        }
        var current = root
        for (i, segment) in segments.enumerated() {
            let isLeaf = i == segments.count - 1
            switch segment {
            case .name(let name):
                guard case .object(let object) = current else {
                    throw notFound(
                        "Expected to find an object with property \(segment.fragment) in path \(prefix) but found '\(Self.javaClassName(current))'. "
                            + "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.")
                }
                guard let member = object[name] else {
                    if isLeaf { break }
                    throw notFound("Missing property in path \(prefix)\(segment.fragment)")
                }
                current = member
            case .index(let index):
                guard case .array(let array) = current else {
                    throw notFound("Filter: \(segment.fragment) can only be applied to arrays. Current context is: \(current.serialized())")
                }
                guard let element = JSONPathEvaluator.element(array, index) else {
                    throw notFound("No results for path: \(normalizedText)")
                }
                current = element
            default:
                break
            }
            prefix += segment.fragment
        }
        throw notFound("No results for path: \(normalizedText)")
    }

    /// The path as Jayway prints it: `$['a']['b'][0]`.
    public var normalizedText: String {
        "$" + segments.map(\.fragment).joined()
    }

    private func notFound(_ message: String) -> JSONPathError {
        JSONPathError(kind: .pathNotFound, message: message, path: text)
    }

    /// The Java class Jayway's default provider (json-smart) reports for a value in its messages.
    static func javaClassName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "java.lang.Boolean"
        case .string: "java.lang.String"
        case .number(let n):
            if case .int(let i) = n { Int32(exactly: i) != nil ? "java.lang.Integer" : "java.lang.Long" } else { "java.lang.Double" }
        case .array: "net.minidev.json.JSONArray"
        case .object: "net.minidev.json.JSONObject"
        }
    }
}
