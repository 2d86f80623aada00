import StepLocalJSON

/// The output shapes of one service's actions (or of Step Functions' optimized integrations),
/// decoded once from the text ``ResultShapeTables`` embeds. Keeping one table per service means
/// a mock file that only uses DynamoDB decodes DynamoDB and nothing else.
public struct ResultShapeTable: Sendable {
    /// Action (or `service:action[pattern]` for the optimized table) → the root node.
    public let operations: [String: Int]
    public let nodes: [ResultShape]

    /// Decodes the generator's format (see scripts/generate-result-shapes.py); nil if malformed.
    init?(encoded text: String) {
        guard case .object(let root)? = try? JSONValue(parsing: text),
            case .object(let ops)? = root["ops"], case .array(let shapes)? = root["shapes"]
        else { return nil }
        var operations: [String: Int] = [:]
        for (name, value) in ops {
            guard let index = value.numberValue?.intValue else { return nil }
            operations[name] = index
        }
        var nodes: [ResultShape] = []
        nodes.reserveCapacity(shapes.count)
        for shape in shapes {
            guard let node = Self.node(shape) else { return nil }
            nodes.append(node)
        }
        self.operations = operations
        self.nodes = nodes
    }

    /// The shape a reference stands for.
    public func shape(_ reference: ResultShapeReference) -> ResultShape {
        switch reference {
        case .primitive(let shape): shape
        case .node(let index): nodes[index]
        }
    }

    private static func reference(_ value: JSONValue) -> ResultShapeReference? {
        switch value {
        case .number(let number): number.intValue.map { .node($0) }
        case .string(let code): primitive(code).map { .primitive($0) }
        default: nil
        }
    }

    private static func primitive(_ code: String) -> ResultShape? {
        switch code {
        case "s": .string
        case "i": .integer
        case "n": .number
        case "b": .boolean
        case "t": .timestamp
        case "B": .blob
        case "d": .any
        default: nil
        }
    }

    private static func node(_ value: JSONValue) -> ResultShape? {
        if case .string(let code) = value { return primitive(code) }
        guard case .array(let parts) = value, parts.count == 2, case .string(let kind) = parts[0] else { return nil }
        switch kind {
        case "e":
            return parts[1].arrayValue.map { .enumeration($0.compactMap(\.stringValue)) }
        case "l":
            return reference(parts[1]).map { .list($0) }
        case "m":
            return reference(parts[1]).map { .map($0) }
        case "o":
            guard let list = parts[1].arrayValue else { return nil }
            var members: [ResultShape.Member] = []
            for item in list {
                guard let fields = item.arrayValue, fields.count == 3, let name = fields[0].stringValue,
                    let shape = reference(fields[1])
                else { return nil }
                members.append(ResultShape.Member(name: name, shape: shape, required: fields[2].numberValue?.intValue == 1))
            }
            return .structure(members)
        default:
            return nil
        }
    }
}
