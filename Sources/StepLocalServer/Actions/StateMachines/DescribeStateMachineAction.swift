import StepLocalJSON

/// DescribeStateMachine: the latest revision for a plain ARN, or the frozen version for a
/// version ARN (then `stateMachineArn` is the version ARN and `description` the version's).
struct DescribeStateMachineAction: ActionHandler {
    static let name = "DescribeStateMachine"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("stateMachineArn")
        let resolved = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.stateMachine(arn)
        }
        let record = resolved.record
        if resolved.alias != nil { throw .stateMachineDoesNotExist(arn) }
        if let version = resolved.version {
            return version.revision.describe(
                arn: version.arn, name: record.name, type: record.type.rawValue, creationDate: version.creationDate.json,
                description: version.description, isDeleting: record.isDeleting)
        }
        return record.revision.describe(
            arn: record.arn, name: record.name, type: record.type.rawValue, creationDate: record.creationDate.json, description: nil,
            isDeleting: record.isDeleting)
    }
}
