import StepLocalIntrinsics
import StepLocalJSON
import StepLocalJSONPath
import StepLocalJSONata

/// A compiled payload: Parameters, ResultSelector, ItemSelector, Arguments, Output, Assign.
/// JSONPath templates resolve `"key.$"` members (paths and intrinsics) at any depth; JSONata
/// templates evaluate any string written as `{% ... %}`. Compiled once at load.
public indirect enum PayloadTemplate: Sendable {
    /// A value with nothing to evaluate.
    case literal(JSONValue)
    /// An object whose members may need evaluation; keys already have their `.$` removed.
    case object([Member])
    /// An array whose elements may need evaluation (JSONata templates only).
    case array([PayloadTemplate])
    /// `"key.$": "$.path"` (or `$$.path`, `$var.path`).
    case path(JSONPath, field: String)
    /// `"key.$": "States.Format(...)"`.
    case intrinsic(IntrinsicExpression, field: String, usesContext: Bool)
    /// `"{% expression %}"`, with the field path used in error messages (`Output/result`).
    case jsonata(JSONataExpression, text: String, field: String)

    /// One member of an object template.
    public struct Member: Sendable {
        public let key: String
        public let value: PayloadTemplate
    }

    /// Evaluates the template. Errors carry only the detail; the engine prefixes the state.
    public func evaluate(in environment: EvaluationEnvironment) throws(StatesError) -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .object(let members):
            var object = JSONObject(minimumCapacity: members.count)
            for member in members {
                object[member.key] = try member.value.evaluate(in: environment)
            }
            return .object(object)
        case .array(let items):
            var array: [JSONValue] = []
            array.reserveCapacity(items.count)
            for item in items { array.append(try item.evaluate(in: environment)) }
            return .array(array)
        case .path(let path, let field):
            guard let value = try PathResolver.select(path, in: environment) else {
                let inputText = PathResolver.rootValue(path, in: environment)?.serialized() ?? "null"
                throw StatesError.runtime(
                    "The JSONPath '\(path.text)' specified for the field '\(field)' could not be found in the input '\(inputText)'")
            }
            return value
        case .intrinsic(let expression, _, let usesContext):
            do {
                return try expression.evaluate(in: environment.intrinsicEnvironment(withContext: usesContext))
            } catch {
                throw StatesError(error.error, cause: error.cause)
            }
        case .jsonata(let expression, let text, let field):
            return try JSONataBridge.evaluate(expression, text: text, field: field, in: environment)
        }
    }

    /// True when the template never needs evaluation (a literal payload).
    public var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }
}

extension EvaluationEnvironment {
    func intrinsicEnvironment(withContext: Bool) -> IntrinsicEnvironment {
        IntrinsicEnvironment(input: input, context: withContext ? context : .null, variables: variables, random: random, uuid: uuid)
    }
}

/// Resolves a JSONPath against the right root: `$` the input, `$$` the context, `$name` a variable.
public enum PathResolver {
    public static func rootValue(_ path: JSONPath, in environment: EvaluationEnvironment) -> JSONValue? {
        switch path.root {
        case .input: environment.input
        case .context: environment.context
        case .variable(let name): environment.variables[name]
        }
    }

    /// What `path` selects, nil when nothing; throws `States.Runtime` when a filter's `=~` ran past
    /// its bound and was stopped.
    public static func select(_ path: JSONPath, in environment: EvaluationEnvironment) throws(StatesError) -> JSONValue? {
        guard let root = rootValue(path, in: environment) else { return nil }
        do {
            return try path.evaluate(in: root)
        } catch {
            throw .runtime(error.description)
        }
    }
}
