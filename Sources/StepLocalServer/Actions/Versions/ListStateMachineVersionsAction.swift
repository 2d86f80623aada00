import StepLocalJSON

/// ListStateMachineVersions: the published versions of a machine, newest first, paged.
struct ListStateMachineVersionsAction: ActionHandler {
    static let name = "ListStateMachineVersions"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("stateMachineArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.unqualifiedStateMachine(arn)
        }
        let versions = record.versions.values.sorted { $0.number > $1.number }
        return try PageToken.answer(versions, position: { -$0.number }, key: "stateMachineVersions", request: request, scope: "Versions|\(arn)") {
            ["stateMachineVersionArn": .string($0.arn), "creationDate": $0.creationDate.json]
        }
    }
}
