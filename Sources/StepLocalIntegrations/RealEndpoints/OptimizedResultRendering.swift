import StepLocalJSON

/// Renders a service's JSON answer the way Step Functions' optimized integrations hand it to the
/// state (`ecs:runTask`, `states:startExecution`): they run on the AWS SDK for Java v1, whose
/// answers reach the state machine with every member in PascalCase (`taskArn` → `TaskArn`), in
/// alphabetical order, and every timestamp as epoch milliseconds (`"CreatedAt": 1680596442871`),
/// where the wire says epoch seconds (`"createdAt": 1680596442.871`). It exists because the
/// aws-sdk integrations (``SDKCalls``) keep the wire's timestamps and order, and the optimized
/// ones do not.
///
/// The shapes come from the optimized integrations' output tables the mock checks use
/// (``ResultShapeTables``): they say which members are timestamps and which objects are maps,
/// whose keys are data and stay as they are. A member the table does not know (an answer newer
/// than the model) is still renamed and sorted.
enum OptimizedResultRendering {
    /// The root shape of an integration's result (`ecs:runTask`, `states:startExecution.sync`).
    static func shape(of integration: String) -> (table: ResultShapeTable, root: ResultShapeReference)? {
        guard let table = ResultShapeTables.table(named: "optimized"), let root = table.operations[integration] else { return nil }
        return (table, .node(root))
    }

    /// `answer` (wire names) as the integration `integration` returns it.
    static func render(_ answer: JSONValue, as integration: String) -> JSONValue {
        guard let (table, root) = shape(of: integration) else { return render(answer, shape: nil, in: nil) }
        return render(answer, shape: root, in: table)
    }

    /// An object's members in Step Functions' order: alphabetical, as the Java SDK writes them.
    static func sortedMembers(_ object: JSONObject) -> JSONObject {
        var sorted = object
        sorted.sort { $0.key < $1.key }
        return sorted
    }

    private static func render(_ value: JSONValue, shape reference: ResultShapeReference?, in table: ResultShapeTable?) -> JSONValue {
        let shape = reference.flatMap { reference in table?.shape(reference) }
        switch (shape, value) {
        case (.timestamp?, .number(let seconds)):
            return .number(JSONNumber(Int((seconds.doubleValue * 1000).rounded())))
        case (.list(let item)?, .array(let items)):
            return .array(items.map { render($0, shape: item, in: table) })
        case (.map(let item)?, .object(let members)):
            var out = JSONObject(minimumCapacity: members.count)
            for (key, member) in members { out[key] = render(member, shape: item, in: table) }
            return .object(out)
        case (.structure(let declared)?, .object(let members)):
            var out = JSONObject(minimumCapacity: members.count)
            for (key, member) in members {
                let name = pascalCase(key)
                out[name] = render(member, shape: declared.first { $0.name == name }?.shape, in: table)
            }
            return .object(sortedMembers(out))
        case (nil, .object(let members)):
            var out = JSONObject(minimumCapacity: members.count)
            for (key, member) in members { out[pascalCase(key)] = render(member, shape: nil, in: nil) }
            return .object(sortedMembers(out))
        case (nil, .array(let items)):
            return .array(items.map { render($0, shape: nil, in: nil) })
        default:
            return value
        }
    }

    /// `taskArn` → `TaskArn`.
    static func pascalCase(_ name: String) -> String { name.prefix(1).uppercased() + name.dropFirst() }
}
