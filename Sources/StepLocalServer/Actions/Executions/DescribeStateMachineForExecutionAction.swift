import StepLocalJSON

/// DescribeStateMachineForExecution: the definition an execution actually runs (the revision
/// or version it started with, even if the machine was updated since).
struct DescribeStateMachineForExecutionAction: ActionHandler {
    static let name = "DescribeStateMachineForExecution"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        let revision = record.revision
        return [
            "stateMachineArn": .string(record.stateMachineVersionArn ?? record.stateMachineArn),
            "name": .string(record.stateMachineName),
            "definition": .string(revision.definitionText),
            "roleArn": .string(revision.roleArn),
            "updateDate": revision.updateDate.json,
            "loggingConfiguration": revision.loggingConfiguration,
            "tracingConfiguration": revision.tracingConfiguration,
            "revisionId": .string(revision.revisionId),
            "encryptionConfiguration": revision.encryptionConfiguration,
        ]
    }
}
