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
    private let variableReads: JSONataVariableReads

    public init(_ text: String) throws(JSONataError) {
        self.text = text
        self.root = try JSONataParser.parse(text)
        self.fast = JSONataFastPath.compile(root)
        self.variableReads = JSONataVariableReads(root)
    }

    /// The members of the binding `$name` this expression can read: only `$name.member` paths
    /// count, so the result is empty when it never mentions `$name`, and `nil` when it may see the
    /// whole value (`$name` alone or as an argument, `$eval`, `%`...). A host may leave the other
    /// members out of the binding.
    public func members(readFrom name: String) -> Set<String>? {
        variableReads.members(of: name)
    }

    /// Evaluates against `input` (`nil` = no input). Bindings become `$name` variables, `functions`
    /// become callable `$name(...)` (shadowing built-ins). Returns `nil` when the result is undefined.
    /// A function in the result becomes `""`, as jsonata-js stringifies it; hosts that must reject
    /// such results use ``outcome(input:bindings:functions:limits:)``.
    public func evaluate(
        input: JSONValue?, bindings: [String: JSONValue] = [:], functions: [String: JSONataFunction] = [:],
        limits: JSONataLimits = .default
    ) throws(JSONataError) -> JSONValue? {
        try evaluate(input: input, bindings: bindings, functions: functions, limits: limits, fastPath: true)
    }

    /// Evaluates like ``evaluate(input:bindings:functions:limits:)`` but tells apart a result JSON
    /// cannot hold: Step Functions fails a field whose expression yields a function
    /// ("returned an unsupported result type") instead of writing `""`. `functions` is only built
    /// when the full evaluator runs: the fast path never calls host functions.
    public func outcome(
        input: JSONValue?, bindings: [String: JSONValue] = [:], functions: @autoclosure () -> [String: JSONataFunction] = [:],
        limits: JSONataLimits = .default
    ) throws(JSONataError) -> JSONataOutcome {
        switch try run(input: input, bindings: bindings, functions: functions, limits: limits, fastPath: true) {
        case .fast(let json):
            return json.map(JSONataOutcome.json) ?? .undefined
        case .full(let value):
            if let value, value.containsFunction { return .function }
            return try JSONataExpression.output(value).map(JSONataOutcome.json) ?? .undefined
        }
    }

    /// `fastPath: false` forces the full evaluator (tests compare the two).
    func evaluate(
        input: JSONValue?, bindings: [String: JSONValue], functions: [String: JSONataFunction],
        limits: JSONataLimits, fastPath: Bool
    ) throws(JSONataError) -> JSONValue? {
        switch try run(input: input, bindings: bindings, functions: { functions }, limits: limits, fastPath: fastPath) {
        case .fast(let json): return json
        case .full(let value): return try JSONataExpression.output(value)
        }
    }

    /// A result straight from whichever evaluator produced it (the fast path's is already JSON).
    private enum RawResult {
        case fast(JSONValue?)
        case full(JSONataValue?)
    }

    private func run(
        input: JSONValue?, bindings: [String: JSONValue], functions: () -> [String: JSONataFunction],
        limits: JSONataLimits, fastPath: Bool
    ) throws(JSONataError) -> RawResult {
        var hostFunctions: [String: JSONataFunction]? = nil
        if fastPath, let fast {
            var usable = true
            if !fast.calledBuiltins.isEmpty {
                // A host function named like a built-in the fast path would call replaces it.
                let hosts = functions()
                hostFunctions = hosts
                usable = hosts.isEmpty || fast.calledBuiltins.allSatisfy { hosts[$0] == nil }
            }
            if usable {
                do {
                    return .fast(try fast.evaluate(input: input, bindings: bindings, limits: limits))
                } catch {
                    // Outside what the fast path decides exactly: the full evaluator below does.
                }
            }
        }
        let rootFrame = JSONataFrame(parent: nil)
        for (name, fn) in hostFunctions ?? functions() {
            rootFrame.bind(name, .function(.host(name: name, function: fn, signature: try fn.parsedSignature())))
        }
        for (name, value) in bindings { rootFrame.bind(name, JSONataValue(value)) }
        var wrapped = input.map(JSONataValue.init)
        if case .jsonArray(let a)? = wrapped {
            wrapped = .array([.jsonArray(a)], [.sequence, .outerWrapper])
        }
        rootFrame.bind("$", wrapped)
        let now = limits.timestamp ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let evaluator = JSONataEvaluator(limits: limits, timestamp: now, root: rootFrame)
        return .full(try evaluator.evaluate(root, wrapped, rootFrame))
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

/// What an expression produced, for hosts (Step Functions) that treat a function result as an
/// error rather than as jsonata-js's `""`.
public enum JSONataOutcome: Sendable, Equatable {
    /// Nothing matched: JSONata's `undefined`.
    case undefined
    /// A result JSON can hold.
    case json(JSONValue)
    /// The result is, or contains, a function, which has no JSON form.
    case function
}
