import StepLocalJSON

@testable import StepLocalServer

/// Checks a successful response against the operation's output shape in the service model:
/// every member must exist there with the right JSON type, and every required member must be
/// present. SDKs parse responses with the same model, so this catches a misspelt field.
enum ResponseShapeChecker {
    static func problems(action: String, body: JSONValue) -> [String] {
        guard let operation = ServiceModel.operations[action] else { return ["unknown action \(action)"] }
        var found: [String] = []
        check(body, shape: operation.output, path: action, into: &found)
        return found
    }

    private static func check(_ value: JSONValue, shape name: String, path: String, into found: inout [String]) {
        guard let shape = ServiceModel.shapes[name] else { return }
        switch (shape, value) {
        case (.structure(let members), .object(let object)):
            for member in members where member.required && object[member.name] == nil {
                found.append("\(path).\(member.name) is required but missing")
            }
            for (key, item) in object {
                guard let member = members.first(where: { $0.name == key }) else {
                    found.append("\(path).\(key) is not in the model")
                    continue
                }
                check(item, shape: member.shape, path: "\(path).\(key)", into: &found)
            }
        case (.list(let list), .array(let items)):
            for (index, item) in items.enumerated() { check(item, shape: list.member, path: "\(path)[\(index)]", into: &found) }
        case (.map(let map), .object(let object)):
            for (key, item) in object { check(item, shape: map.value, path: "\(path).\(key)", into: &found) }
        case (.string(let string), .string(let text)):
            if let values = string.enumValues, !values.contains(text) { found.append("\(path) = \(text) is not in the enum") }
        case (.integer, .number(let number)):
            if !number.isInteger { found.append("\(path) is not an integer") }
        case (.float, .number), (.boolean, .bool), (.timestamp, .number):
            break
        default:
            found.append("\(path) has JSON type \(value.typeName), model shape \(name)")
        }
    }
}
