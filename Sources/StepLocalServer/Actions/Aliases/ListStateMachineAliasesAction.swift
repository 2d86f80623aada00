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
        let page = try PageToken.page(
            aliases, maxResults: request.int("maxResults"), nextToken: request.string("nextToken"), scope: "Aliases|\(record.arn)")
        var answer: JSONObject = [
            "stateMachineAliases": .array(
                page.items.map { ["stateMachineAliasArn": .string($0.arn), "creationDate": $0.creationDate.json] })
        ]
        if let token = page.nextToken { answer["nextToken"] = .string(token) }
        return .object(answer)
    }
}
