import StepLocalASL
import StepLocalJSON
import StepLocalIntrinsics

/// UpdateStateMachine: changes the definition, role, logging or tracing of the latest revision
/// (at least one must be given), gives it a new revision id and optionally publishes it.
/// Executions already running keep the revision they started with.
struct UpdateStateMachineAction: ActionHandler {
    static let name = "UpdateStateMachine"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("stateMachineArn")
        let definitionText = request.string("definition")
        let roleArn = request.string("roleArn")
        let loggingValue = request.value("loggingConfiguration")
        let tracingValue = request.value("tracingConfiguration")
        let encryptionValue = request.value("encryptionConfiguration")
        let publish = request.bool("publish") ?? false
        let versionDescription = request.string("versionDescription")
        if let roleArn { try RoleArn.validate(roleArn) }
        if versionDescription != nil && !publish {
            throw .validationException("Version description can only be set when publish is true")
        }
        let current = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.unqualifiedStateMachine(arn)
        }
        if definitionText == nil, roleArn == nil, loggingValue == nil, tracingValue == nil, encryptionValue == nil, !publish {
            throw .missingRequiredParameter(
                "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified")
        }
        let definition = try definitionText.map { (text: String) throws(AWSServiceError) in
            try DefinitionLoading.load(text, type: current.type)
        }
        let logging = try loggingValue.map { (value: JSONValue) throws(AWSServiceError) in try LoggingConfiguration.normalize(value) }
        let now = request.services.now()

        return try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            guard var record = tables.stateMachines[arn] else { throw .stateMachineDoesNotExist(arn) }
            try record.checkNotDeleting(arn)
            var revision = record.revision
            let changed = definitionText != nil || roleArn != nil || logging != nil || tracingValue != nil || encryptionValue != nil
            if let definitionText, let definition {
                revision.definitionText = definitionText
                revision.definition = definition
            }
            if let roleArn { revision.roleArn = roleArn }
            if let logging { revision.loggingConfiguration = logging }
            if let tracingValue { revision.tracingConfiguration = TracingConfiguration.normalize(tracingValue) }
            if let encryptionValue { revision.encryptionConfiguration = encryptionValue }
            if changed {
                revision.revisionId = Identifiers.uuid()
                revision.updateDate = now
            }
            record.revision = revision
            var answer: JSONObject = ["updateDate": revision.updateDate.json, "revisionId": .string(revision.revisionId)]
            if publish {
                // Publishing an unchanged revision returns the version that already holds it.
                if let latest = record.latestVersion, latest.revision.revisionId == revision.revisionId {
                    answer["stateMachineVersionArn"] = .string(latest.arn)
                } else {
                    answer["stateMachineVersionArn"] = .string(record.publish(description: versionDescription, at: now).arn)
                }
            }
            tables.stateMachines[arn] = record
            return .object(answer)
        }
    }
}
