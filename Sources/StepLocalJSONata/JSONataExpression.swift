public import StepLocalJSON
import Foundation

/// A compiled JSONata expression. Compile once (parsing and post-processing happen in `init`), then
/// evaluate many times against different inputs; the compiled tree is immutable and `Sendable`.
public struct JSONataExpression: Sendable {
    let root: JSONataNode
    /// The closure-compiled fast evaluator, when the expression is within its subset.
    let fast: JSONataFastPath?
    /// The expression text, as given.
    public let text: String

    public init(_ text: String) throws(JSONataError) {
        self.text = text
        self.root = try JSONataParser.parse(text)
        self.fast = JSONataFastPath.compile(root)
    }

    /// Evaluates against `input` (`nil` = no input). Bindings become `$name` variables, `functions`
    /// become callable `$name(...)` (shadowing built-ins). Returns `nil` when the result is undefined.
    public func evaluate(
        input: JSONValue?, bindings: [String: JSONValue] = [:], functions: [String: JSONataFunction] = [:],
        limits: JSONataLimits = .default
    ) throws(JSONataError) -> JSONValue? {
        try evaluate(input: input, bindings: bindings, functions: functions, limits: limits, fastPath: true)
    }

    /// `fastPath: false` forces the full evaluator (tests compare the two).
    func evaluate(
        input: JSONValue?, bindings: [String: JSONValue], functions: [String: JSONataFunction],
        limits: JSONataLimits, fastPath: Bool
    ) throws(JSONataError) -> JSONValue? {
        if fastPath, let fast {
            do {
                return try fast.evaluate(input: input, bindings: bindings, limits: limits)
            } catch {
                // Outside what the fast path decides exactly: the full evaluator below does.
            }
        }
        let rootFrame = JSONataFrame(parent: nil)
        for (name, fn) in functions {
            let sig = try fn.signature.map { (s) throws(JSONataError) in try JSONataSignature(s) }
            rootFrame.bind(name, .function(.host(name: name, function: fn, signature: sig)))
        }
        for (name, value) in bindings { rootFrame.bind(name, JSONataValue(value)) }
        var wrapped = input.map(JSONataValue.init)
        if case .jsonArray(let a)? = wrapped {
            wrapped = .array([.jsonArray(a)], [.sequence, .outerWrapper])
        }
        rootFrame.bind("$", wrapped)
        let now = limits.timestamp ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let evaluator = JSONataEvaluator(limits: limits, timestamp: now, root: rootFrame)
        let result = try evaluator.evaluate(root, wrapped, rootFrame)
        return try JSONataExpression.output(result)
    }

    static func output(_ v: JSONataValue?) throws(JSONataError) -> JSONValue? {
        guard let v else { return nil }
        if case .number(let d) = v, !d.isFinite { throw JSONataError.make("D1001") }
        if case .array(let items, _) = v {
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for i in items {
                if let j = try output(i) { out.append(j) }
            }
            return .array(out)
        }
        if case .tuples(let t) = v {
            return try output(.array(t.compactMap(\.context), .sequence))
        }
        if case .object(let o) = v {
            var out = JSONObject(minimumCapacity: o.count)
            for (k, m) in o where k != JSONataMutableNode.hiddenKey {
                if let j = try output(m) { out[k] = j }
            }
            return .object(out)
        }
        return v.toJSON()
    }
}
