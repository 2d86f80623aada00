import StepLocalJSON

/// ListStateMachineAliases: the aliases of a machine (or of the machine a version belongs to), paged.
struct ListStateMachineAliasesAction: ActionHandler {
    static let name = "ListStateMachineAliases"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("stateMachineArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.stateMachine(arn).record
        }
        try record.checkNotDeleting(arn)
        // Oldest first; the position is the creation time (fixed width, so text order is time order) and the name.
        func position(_ alias: StateMachineAliasRecord) -> String {
            let millis = String(alias.creationDate.millisecondsSince1970)
            return String(repeating: "0", count: max(0, 20 - millis.count)) + millis + ":" + alias.name
        }
        let aliases = record.aliases.values.sorted { position($0) < position($1) }
        return try PageToken.answer(aliases, position: position, key: "stateMachineAliases", request: request, scope: "Aliases|\(record.arn)") {
            ["stateMachineAliasArn": .string($0.arn), "creationDate": $0.creationDate.json]
        }
    }
}
