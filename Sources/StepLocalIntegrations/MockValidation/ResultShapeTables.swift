import Synchronization

/// The committed output shapes of every integration StepLocal can check a mocked result
/// against, and the rule that picks one for a Task's `Resource`. The tables are generated from
/// botocore's models by `scripts/generate-result-shapes.py` and decoded lazily, one service at a
/// time, the first time a mock for that service is checked.
///
/// Resources without a table are not validated: a Lambda function ARN used directly as the
/// Resource, activities, `.waitForTaskToken` tasks (whatever SendTaskSuccess sends is free-form),
/// aws-sdk actions with an integration pattern (`.sync` answers another API's shape), services
/// botocore models with another protocol than JSON (except the S3, SNS and Lambda actions listed
/// in the generator), and the omitted services in ``omittedServices``.
public enum ResultShapeTables {
    /// A table's output shape for one resource, with the name messages use (`lambda:invoke`).
    public struct Selection: Sendable {
        public let integration: String
        public let table: ResultShapeTable
        public let root: ResultShapeReference
    }

    private static let decoded = Mutex<[String: ResultShapeTable]>([:])

    /// The output shape a mocked result of `resource` must have, or nil when StepLocal does not
    /// know it (see the type's doc comment for what is left out).
    public static func selection(forResource resource: String) -> Selection? {
        guard let parsed = TaskResource(resource), parsed.pattern != .waitForTaskToken else { return nil }
        if parsed.service == "activity" || parsed.action.hasPrefix("arn:") { return nil }
        let action = parsed.action.prefix(1).lowercased() + parsed.action.dropFirst()
        if parsed.service.hasPrefix("aws-sdk:") {
            let sdk = String(parsed.service.dropFirst("aws-sdk:".count)).lowercased()
            guard parsed.pattern == .requestResponse else { return nil }
            if sdk == "s3" { return select(table: "optimized", operation: "aws-sdk:s3:" + action, label: "aws-sdk:s3:" + action) }
            return select(table: sdk, operation: action, label: "aws-sdk:\(sdk):\(action)")
        }
        let key = "\(parsed.service):\(action)\(parsed.pattern.rawValue)"
        return select(table: "optimized", operation: key, label: key)
    }

    private static func select(table name: String, operation: String, label: String) -> Selection? {
        guard let table = table(named: name), let root = table.operations[operation] else { return nil }
        return Selection(integration: label, table: table, root: .node(root))
    }

    /// The decoded table, decoding it on first use.
    static func table(named name: String) -> ResultShapeTable? {
        if let cached = decoded.withLock({ $0[name] }) { return cached }
        guard let text = encoded[name], let table = ResultShapeTable(encoded: text) else { return nil }
        decoded.withLock { $0[name] = table }
        return table
    }
}
