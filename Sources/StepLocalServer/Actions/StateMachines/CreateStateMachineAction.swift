import StepLocalASL
import StepLocalJSON
import StepLocalIntrinsics

/// CreateStateMachine: validates the name and definition, and is idempotent as AWS documents:
/// the same name with the same definition, type, logging, tracing and encryption returns the
/// existing machine (role and tags differences are ignored); anything else is
/// `StateMachineAlreadyExists`.
struct CreateStateMachineAction: ActionHandler {
    static let name = "CreateStateMachine"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        try Self.create(request)
    }

    /// The whole action, synchronous, so start-up can preload state machines through it too.
    static func create(_ request: ActionRequest) throws(AWSServiceError) -> JSONValue {
        let name = try request.required("name")
        try NameRules.validate(name)
        let roleArn = try request.required("roleArn")
        try RoleArn.validate(roleArn)
        let type = StateMachineType(rawValue: request.string("type") ?? "STANDARD") ?? .standard
        let definitionText = try request.required("definition")
        let logging = try LoggingConfiguration.normalize(request.value("loggingConfiguration"))
        let tracing = request.value("tracingConfiguration").map { TracingConfiguration.normalize($0) } ?? StateMachineRevision.defaultTracing
        let encryption = request.value("encryptionConfiguration") ?? StateMachineRevision.defaultEncryption
        let publish = request.bool("publish") ?? false
        let versionDescription = request.string("versionDescription")
        if versionDescription != nil && !publish {
            throw .validationException("Version description can only be set when publish is true")
        }
        let tags = try Tags.parse(request.value("tags"))
        let definition = try DefinitionLoading.load(definitionText, type: type)

        let arn = request.arns.stateMachine(name)
        let now = request.services.now()
        let revision = StateMachineRevision(
            definitionText: definitionText, definition: definition, roleArn: roleArn, loggingConfiguration: logging,
            tracingConfiguration: tracing, encryptionConfiguration: encryption, revisionId: Identifiers.uuid(), updateDate: now)

        return try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            if let existing = tables.stateMachines[arn] {
                try existing.checkNotDeleting(arn)
                let old = existing.revision
                guard old.definitionText == definitionText, existing.type == type, old.loggingConfiguration == logging,
                    old.tracingConfiguration == tracing, old.encryptionConfiguration == encryption
                else { throw .stateMachineAlreadyExists(arn) }
                var answer: JSONObject = ["stateMachineArn": .string(arn), "creationDate": existing.creationDate.json]
                if publish, let latest = existing.versions.values.max(by: { $0.number < $1.number }),
                    latest.revision.revisionId == old.revisionId
                {
                    answer["stateMachineVersionArn"] = .string(latest.arn)
                }
                return .object(answer)
            }
            try Tags.checkLimit(arn, count: tags.count)
            var record = StateMachineRecord(
                arn: arn, name: name, type: type, revision: revision, creationDate: now, sequence: tables.nextSequence())
            var answer: JSONObject = ["stateMachineArn": .string(arn), "creationDate": now.json]
            if publish {
                let version = record.publish(description: versionDescription, at: now)
                answer["stateMachineVersionArn"] = .string(version.arn)
            }
            tables.stateMachines[arn] = record
            if !tags.isEmpty { tables.tags[arn] = tags }
            return .object(answer)
        }
    }
}
