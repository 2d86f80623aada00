import StepLocalJSON

/// PublishStateMachineVersion: freezes the current revision as the next version number. When
/// nothing changed since the latest version AWS returns that version instead of a new one; a
/// `revisionId` that is not the current one is a `ConflictException`.
struct PublishStateMachineVersionAction: ActionHandler {
    static let name = "PublishStateMachineVersion"
    static let versionLimit = 1000

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("stateMachineArn")
        let expectedRevision = request.string("revisionId")
        let description = request.string("description")
        let now = request.services.now()
        _ = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.unqualifiedStateMachine(arn)
        }
        return try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            guard var record = tables.stateMachines[arn] else { throw .stateMachineDoesNotExist(arn) }
            try record.checkNotDeleting(arn)
            if let expectedRevision, expectedRevision != record.revision.revisionId {
                throw .conflict(
                    "Failed to publish the State Machine version due to a conflict: the revision ID provided does not match the latest revision ID '\(record.revision.revisionId)'")
            }
            if let latest = record.latestVersion, latest.revision.revisionId == record.revision.revisionId {
                return ["creationDate": latest.creationDate.json, "stateMachineVersionArn": .string(latest.arn)]
            }
            guard record.versions.count < Self.versionLimit else {
                throw AWSServiceError(
                    "ServiceQuotaExceededException", "The maximum number of versions (\(Self.versionLimit)) for this state machine has been reached")
            }
            let version = record.publish(description: description, at: now)
            tables.stateMachines[arn] = record
            return ["creationDate": version.creationDate.json, "stateMachineVersionArn": .string(version.arn)]
        }
    }
}
