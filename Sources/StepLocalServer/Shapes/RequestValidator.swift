import StepLocalJSON

/// Checks a request body against the operation's input shape, as AWS's front end does before
/// an action runs: members of the wrong JSON type are a `SerializationException`; missing
/// required members, lengths, ranges, patterns and enum values are collected into one
/// `ValidationException` worded like AWS's (`1 validation error detected: Value 'x' at 'name'
/// failed to satisfy constraint: Member must have length less than or equal to 80`). Unknown
/// members are ignored, and a JSON `null` counts as absent, as in AWS.
struct RequestValidator {
    private var problems: [String] = []

    /// Validates `body` against the input of `operation`; throws the first serialisation
    /// problem, or every constraint violation at once.
    static func validate(_ body: JSONObject, operation: ServiceModel.Operation) throws(AWSServiceError) {
        var validator = RequestValidator()
        guard case .structure(let members)? = ServiceModel.shapes[operation.input] else { return }
        try validator.checkStructure(body, members: members, path: nil)
        if !validator.problems.isEmpty {
            throw .validation(validator.problems)
        }
    }

    private static func join(_ path: String?, _ name: String) -> String {
        guard let path else { return name }
        return "\(path).\(name)"
    }

    private mutating func checkStructure(_ object: JSONObject, members: [ShapeMember], path: String?) throws(AWSServiceError) {
        for member in members {
            let memberPath = RequestValidator.join(path, member.name)
            guard let value = object[member.name], !value.isNull else {
                if member.required {
                    problems.append("Value null at '\(memberPath)' failed to satisfy constraint: Member must not be null")
                }
                continue
            }
            try check(value, shapeName: member.shape, path: memberPath)
        }
    }

    private mutating func check(_ value: JSONValue, shapeName: String, path: String) throws(AWSServiceError) {
        guard let shape = ServiceModel.shapes[shapeName] else { return }
        switch shape {
        case .structure(let members):
            guard case .object(let object) = value else { throw RequestValidator.mismatch(value, expected: "structure") }
            try checkStructure(object, members: members, path: path)
        case .string(let constraints):
            guard case .string(let string) = value else { throw RequestValidator.mismatch(value, expected: "String") }
            check(string, constraints, path: path)
        case .integer(let constraints):
            guard case .number(let number) = value, number.isInteger else {
                throw RequestValidator.mismatch(value, expected: "Integer")
            }
            check(number.doubleValue, text: number.text, constraints, path: path)
        case .float(let constraints):
            guard case .number(let number) = value else { throw RequestValidator.mismatch(value, expected: "Float") }
            check(number.doubleValue, text: number.text, constraints, path: path)
        case .boolean:
            guard case .bool = value else { throw RequestValidator.mismatch(value, expected: "Boolean") }
        case .timestamp:
            guard case .number = value else { throw RequestValidator.mismatch(value, expected: "Date") }
        case .list(let list):
            guard case .array(let items) = value else { throw RequestValidator.mismatch(value, expected: "list") }
            checkCount(items.count, min: list.min, max: list.max, shown: value.serialized(), path: path)
            for (index, item) in items.enumerated() where !item.isNull {
                try check(item, shapeName: list.member, path: "\(path).\(index + 1).member")
            }
        case .map(let map):
            guard case .object(let object) = value else { throw RequestValidator.mismatch(value, expected: "map") }
            checkCount(object.count, min: map.min, max: map.max, shown: value.serialized(), path: path)
            for (key, item) in object {
                try check(.string(key), shapeName: map.key, path: "\(path).key")
                if !item.isNull { try check(item, shapeName: map.value, path: "\(path).value") }
            }
        }
    }

    private mutating func check(_ string: String, _ c: StringShape, path: String) {
        // Built only for a problem: every valid string of every request passes through here.
        var prefix: String { c.sensitive ? "Value at '\(path)'" : "Value '\(string)' at '\(path)'" }
        // AWS counts length in UTF-16 code units (Java strings).
        let length = string.utf16.count
        if let min = c.min, length < min {
            problems.append("\(prefix) failed to satisfy constraint: Member must have length greater than or equal to \(min)")
        }
        if let max = c.max, length > max {
            problems.append("\(prefix) failed to satisfy constraint: Member must have length less than or equal to \(max)")
        }
        if let pattern = c.pattern, !ShapePattern.matches(string, pattern: pattern) {
            problems.append("\(prefix) failed to satisfy constraint: Member must satisfy regular expression pattern: \(pattern)")
        }
        if let values = c.enumValues, !values.contains(string) {
            problems.append(
                "\(prefix) failed to satisfy constraint: Member must satisfy enum value set: [\(values.joined(separator: ", "))]")
        }
    }

    private mutating func check(_ number: Double, text: String, _ c: NumberShape, path: String) {
        var prefix: String { c.sensitive ? "Value at '\(path)'" : "Value '\(text)' at '\(path)'" }
        if let min = c.min, number < min {
            problems.append("\(prefix) failed to satisfy constraint: Member must have value greater than or equal to \(JSONNumber(min).text)")
        }
        if let max = c.max, number > max {
            problems.append("\(prefix) failed to satisfy constraint: Member must have value less than or equal to \(JSONNumber(max).text)")
        }
    }

    private mutating func checkCount(_ count: Int, min: Int?, max: Int?, shown: String, path: String) {
        if let min, count < min {
            problems.append("Value '\(shown)' at '\(path)' failed to satisfy constraint: Member must have length greater than or equal to \(min)")
        }
        if let max, count > max {
            problems.append("Value '\(shown)' at '\(path)' failed to satisfy constraint: Member must have length less than or equal to \(max)")
        }
    }

    /// The SerializationException AWS's JSON deserialiser raises for a value of the wrong type.
    private static func mismatch(_ value: JSONValue, expected: String) -> AWSServiceError {
        switch value {
        case .object:
            return .serialization("Start of structure or map found where not expected.")
        case .array:
            return .serialization("Start of list found where not expected")
        case .string:
            return .serialization("STRING_VALUE can not be converted to \(article(expected))")
        case .number:
            return .serialization("NUMBER_VALUE can not be converted to \(article(expected))")
        case .bool(let b):
            return .serialization("\(b ? "TRUE_VALUE" : "FALSE_VALUE") can not be converted to \(article(expected))")
        case .null:
            return .serialization("Unexpected null")
        }
    }

    private static func article(_ type: String) -> String {
        let vowels: Set<Character> = ["A", "E", "I", "O", "U", "a", "e", "i", "o", "u"]
        return (vowels.contains(type.first ?? "x") ? "an " : "a ") + type
    }
}
