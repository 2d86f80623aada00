public import StepLocalJSON
import StepLocalJSONPath

/// A compiled intrinsic function call (`States.Format('{}', $.a)`), parsed once at definition
/// load and evaluated per state.
///
/// Runtime errors name the whole expression as AWS does: "The function '<expression>' had the
/// following error: <detail>".
public struct IntrinsicExpression: Sendable {
    public let text: String
    let call: IntrinsicCall

    /// Parses `text`; the thrown error's cause is meant for an InvalidDefinition diagnostic.
    public init(_ text: String) throws(IntrinsicError) {
        self.text = text
        call = try IntrinsicParser.parse(text)
    }

    /// Whether a `.$` field's string is an intrinsic call rather than a path (`States.X(` prefix).
    public static func looksLikeIntrinsic(_ text: String) -> Bool {
        guard text.hasPrefix("States.") else { return false }
        var rest = text.utf8.dropFirst(7)
        while let c = rest.first, (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
            rest = rest.dropFirst()
        }
        return rest.first == UInt8(ascii: "(")
    }

    public func evaluate(in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        do {
            return try Self.evaluate(call, in: environment)
        } catch {
            throw error.wrapped(in: text)
        }
    }

    private static func evaluate(_ call: IntrinsicCall, in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let definition = call.function.definition
        if call.function == .format, case .string(let template) = call.arguments.first {
            // A literal template keeps its escaped braces out of the placeholders.
            var values: [JSONValue] = []
            for argument in call.arguments.dropFirst() { values.append(try value(of: argument, in: environment)) }
            try definition.signature.check([.string(template.value)] + values, function: definition.name)
            return try StatesFormat.format(pieces: template.pieces, values: values)
        }
        var values: [JSONValue] = []
        values.reserveCapacity(call.arguments.count)
        for argument in call.arguments { values.append(try value(of: argument, in: environment)) }
        try definition.signature.check(values, function: definition.name)
        return try definition.evaluate(values, in: environment)
    }

    private static func value(of argument: IntrinsicArgument, in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        switch argument {
        case .string(let literal): return .string(literal.value)
        case .literal(let value): return value
        case .call(let call): return try evaluate(call, in: environment)
        case .path(let path):
            let root: JSONValue?
            switch path.root {
            case .input: root = environment.input
            case .context: root = environment.context
            case .variable(let name): root = environment.variables[name]
            }
            let found: JSONValue?
            do {
                found = try root.flatMap { root throws(JSONPathError) in try path.evaluate(in: root) }
            } catch {
                throw .pathStopped(error)
            }
            if let found { return found }
            var reported = path.text
            if path.root == .context { reported.removeFirst() }  // AWS reports `$$.a` as `$.a`
            throw .argumentNotFound(path: reported, input: environment.input.serialized())
        }
    }
}
