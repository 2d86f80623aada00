import StepLocalJSON
import StepLocalJSONata

/// Evaluates Step Functions' `{% ... %}` expressions: binds `$states` and the workflow variables,
/// adds AWS's extra functions, and turns JSONata's outcomes into AWS's
/// States.QueryEvaluationError messages.
public enum JSONataBridge {
    /// `{% expr %}` → `expr`, or nil when `text` is not a JSONata template.
    public static func expressionText(_ text: String) -> String? {
        guard text.hasPrefix("{%"), text.hasSuffix("%}"), text.count >= 4 else { return nil }
        // AWS quotes the expression in messages without the blanks around it.
        let inner = text.dropFirst(2).dropLast(2)
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = inner.firstIndex(where: { !isBlank($0) }), let last = inner.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(inner[first...last])
    }

    public static func evaluateOptional(
        _ expression: JSONataExpression, text: String, field: String, in environment: EvaluationEnvironment
    ) throws(StatesError) -> JSONValue? {
        var bindings = environment.variables
        bindings["states"] = statesBinding(reading: expression.members(readFrom: "states"), in: environment)
        let outcome: JSONataOutcome
        do throws(JSONataError) {
            outcome = try expression.outcome(input: nil, bindings: bindings, functions: AWSJSONataFunctions.functions(environment))
        } catch {
            throw StatesError.queryEvaluationError(
                "The JSONata expression '\(text)' specified for the field '\(field)' threw an error during evaluation. \(error.code): \(error.message)",
                location: field)
        }
        switch outcome {
        case .undefined: return nil
        case .json(let value): return value
        case .function:
            // AWS (recorded, Map `Items` of `$fn := function($x){$x}`): a function has no JSON
            // form, so the field fails whatever it is, rather than getting jsonata-js's "".
            throw StatesError.queryEvaluationError(
                "The JSONata expression '\(text)' specified for the field '\(field)' returned an unsupported result type.", location: field)
        }
    }

    public static func evaluate(
        _ expression: JSONataExpression, text: String, field: String, in environment: EvaluationEnvironment
    ) throws(StatesError) -> JSONValue {
        guard let value = try evaluateOptional(expression, text: text, field: field, in: environment) else {
            throw StatesError.queryEvaluationError(
                "The JSONata expression '\(text)' specified for the field '\(field)' returned nothing (undefined).", location: field)
        }
        return value
    }

    /// `$states` with only the members the expression can read (all of them when it may see the
    /// whole object): the context object costs more to build than most expressions cost to run,
    /// and few expressions read `$states.context`.
    static func statesBinding(reading members: Set<String>?, in environment: EvaluationEnvironment) -> JSONValue {
        guard let members else { return environment.statesObject }
        var object = JSONObject(minimumCapacity: members.count)
        if members.contains("input") { object["input"] = environment.input }
        if members.contains("context") { object["context"] = environment.context }
        if members.contains("result"), let result = environment.result { object["result"] = result }
        if members.contains("errorOutput"), let errorOutput = environment.errorOutput { object["errorOutput"] = errorOutput }
        return .object(object)
    }
}
