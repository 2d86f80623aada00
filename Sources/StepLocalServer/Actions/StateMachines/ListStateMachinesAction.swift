import StepLocalJSON

/// ListStateMachines: every machine of the caller's region and account, oldest first, paged.
struct ListStateMachinesAction: ActionHandler {
    static let name = "ListStateMachines"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let prefix = request.arns.stateMachine("")
        let records = try request.services.store.transaction { (tables: inout ResourceTables) in
            tables.stateMachines.values.filter { $0.arn.hasPrefix(prefix) }.sorted { $0.sequence < $1.sequence }
        }
        return try PageToken.answer(records, position: \.sequence, key: "stateMachines", request: request, scope: "ListStateMachines") {
            [
                "stateMachineArn": .string($0.arn), "name": .string($0.name), "type": .string($0.type.rawValue),
                "creationDate": $0.creationDate.json,
            ]
        }
    }
}
