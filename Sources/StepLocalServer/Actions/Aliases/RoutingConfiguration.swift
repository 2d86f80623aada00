import StepLocalJSON

/// Checks an alias's `routingConfiguration` as AWS does: one or two distinct versions of the
/// same state machine, which must exist, with weights that add up to 100.
enum RoutingConfiguration {
    static func parse(_ value: JSONValue?) throws(AWSServiceError) -> (stateMachineArn: String, entries: [StateMachineAliasRecord.RoutingEntry]) {
        let items = value?.arrayValue ?? []
        var entries: [StateMachineAliasRecord.RoutingEntry] = []
        var machine: String?
        for item in items {
            let versionArn = item["stateMachineVersionArn"]?.stringValue ?? ""
            let arn = try StatesARN.expect(versionArn, .stateMachine)
            guard case .version = arn.qualifier else { throw .invalidArn(versionArn) }
            if let machine, machine != arn.unqualifiedStateMachineArn {
                throw invalid("Routing configuration must contain state machine version ARNs of the same state machine")
            }
            machine = arn.unqualifiedStateMachineArn
            if entries.contains(where: { $0.versionArn == versionArn }) {
                throw invalid("Routing configuration must contain distinct state machine version ARNs")
            }
            entries.append(.init(versionArn: versionArn, weight: item["weight"]?.numberValue?.intValue ?? 0))
        }
        guard let machine, !entries.isEmpty else { throw invalid("Routing configuration must contain at least one version") }
        let total = entries.reduce(0) { $0 + $1.weight }
        guard total == 100 else { throw invalid("Sum of routing configuration weights must be equal to 100") }
        return (machine, entries)
    }

    /// Every routed version must exist on `record`.
    static func checkVersionsExist(_ entries: [StateMachineAliasRecord.RoutingEntry], in record: StateMachineRecord) throws(AWSServiceError) {
        for entry in entries where !record.versions.values.contains(where: { $0.arn == entry.versionArn }) {
            throw .resourceNotFound("State machine version does not exist: '\(entry.versionArn)'", resourceName: entry.versionArn)
        }
    }

    private static func invalid(_ message: String) -> AWSServiceError {
        .validationException(message, reason: "INVALID_ROUTING_CONFIGURATION")
    }
}
