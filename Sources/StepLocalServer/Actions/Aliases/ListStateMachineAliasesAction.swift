import StepLocalJSON

/// ListStateMachineAliases: the aliases of a machine (or of the machine a version belongs to), paged.
struct ListStateMachineAliasesAction: ActionHandler {
    static let name = "ListStateMachineAliases"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("stateMachineArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.stateMachine(arn).record
        }
        let aliases = record.aliases.values.sorted { ($0.creationDate, $0.name) < ($1.creationDate, $1.name) }
        return try PageToken.answer(aliases, key: "stateMachineAliases", request: request, scope: "Aliases|\(record.arn)") {
            ["stateMachineAliasArn": .string($0.arn), "creationDate": $0.creationDate.json]
        }
        }
}
