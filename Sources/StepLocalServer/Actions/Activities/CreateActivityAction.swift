import StepLocalJSON

/// CreateActivity: idempotent as on AWS. Creating an existing activity again returns it,
/// unless the tags differ (`ActivityAlreadyExists`).
struct CreateActivityAction: ActionHandler {
    static let name = "CreateActivity"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let name = try request.required("name")
        try NameRules.validate(name)
        let tags = try Tags.parse(request.value("tags"))
        let encryption = request.value("encryptionConfiguration") ?? StateMachineRevision.defaultEncryption
        let arn = request.arns.activity(name)
        let now = request.services.now()
        return try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            if let existing = tables.activities[arn] {
                let current = tables.tags[arn] ?? []
                let same = tags.isEmpty || (tags.count == current.count && zip(tags, current).allSatisfy { $0 == $1 })
                guard same else { throw .activityAlreadyExists(arn) }
                return ["activityArn": .string(arn), "creationDate": existing.creationDate.json]
            }
            try Tags.checkLimit(arn, count: tags.count)
            tables.activities[arn] = ActivityRecord(
                arn: arn, name: name, creationDate: now, encryptionConfiguration: encryption, sequence: tables.nextSequence())
            if !tags.isEmpty { tables.tags[arn] = tags }
            return ["activityArn": .string(arn), "creationDate": now.json]
        }
    }
}
