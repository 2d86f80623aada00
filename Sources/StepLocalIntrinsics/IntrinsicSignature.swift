import StepLocalJSON

/// A function's parameters as data, so argument counts and types are checked in one place
/// (``IntrinsicSignature/arityError(function:count:)`` at load, ``IntrinsicSignature/check(_:function:)``
/// at run time) and each function's body only holds its logic.
struct IntrinsicSignature: Sendable {
    /// What a parameter accepts.
    enum Parameter: Sendable {
        case any, string, number, integer, array, object, boolean

        var spelling: String {
            switch self {
            case .any: "any value"
            case .string: "a string"
            case .number: "a number"
            case .integer: "an integer"
            case .array: "an array"
            case .object: "an object"
            case .boolean: "a boolean"
            }
        }

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.any, _), (.string, .string), (.number, .number), (.array, .array), (.object, .object), (.boolean, .bool): true
            case (.integer, .number(let n)): n.isInteger
            default: false
            }
        }
    }

    /// Parameters every call must pass.
    var required: [Parameter]
    /// Trailing parameters a call may leave out (`States.MathRandom`'s seed).
    var optional: [Parameter] = []
    /// A type for any number of further arguments (`States.Array`, `States.Format`).
    var variadic: Parameter?

    var arityDescription: String {
        if variadic != nil { return "at least \(required.count)" }
        if optional.isEmpty { return "\(required.count)" }
        return "\(required.count) to \(required.count + optional.count)"
    }

    func arityError(function: String, count: Int) -> String? {
        if count < required.count || (variadic == nil && count > required.count + optional.count) {
            return "\(function) takes \(arityDescription) argument\(arityDescription == "1" ? "" : "s") but was given \(count)"
        }
        return nil
    }

    /// Checks argument types in order; the first mismatch fails the call with States.IntrinsicFailure.
    func check(_ values: [JSONValue], function: String) throws(IntrinsicError) {
        for (i, value) in values.enumerated() {
            let parameter: Parameter
            if i < required.count {
                parameter = required[i]
            } else if i - required.count < optional.count {
                parameter = optional[i - required.count]
            } else {
                parameter = variadic ?? .any
            }
            guard parameter.accepts(value) else {
                throw .argumentType(function: function, position: i + 1, expected: parameter.spelling, actual: value)
            }
        }
    }
}
