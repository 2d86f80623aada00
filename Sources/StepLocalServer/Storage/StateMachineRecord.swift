import StepLocalASL
import StepLocalJSON

/// A state machine as the API knows it: the latest revision plus its published versions and
/// aliases. The definition is kept both as the text users sent (DescribeStateMachine echoes it
/// byte for byte) and loaded once, so executions never re-parse it.
struct StateMachineRecord: Sendable {
    var arn: String
    var name: String
    var type: StateMachineType
    var revision: StateMachineRevision
    var creationDate: Timestamp
    /// Order of creation, for stable listings.
    var sequence: Int
    var versions: [Int: StateMachineVersionRecord] = [:]
    /// Version numbers are never reused, even after a version is deleted.
    var nextVersionNumber = 1
    var aliases: [String: StateMachineAliasRecord] = [:]
    /// Set by DeleteStateMachine while executions of the machine still run: DescribeStateMachine
    /// says `DELETING`, nothing new starts or changes, and the machine goes when they have ended.
    var isDeleting = false

    /// Throws `StateMachineDeleting` for a machine being deleted: what AWS answers a start, an
    /// update, a new version or alias then.
    func checkNotDeleting(_ arnText: String) throws(AWSServiceError) {
        if isDeleting { throw .stateMachineDeleting(arnText) }
    }
}

/// The parts of a state machine that UpdateStateMachine changes and a version freezes.
struct StateMachineRevision: Sendable {
    var definitionText: String
    var definition: StateMachineDefinition
    var roleArn: String
    var loggingConfiguration: JSONValue
    var tracingConfiguration: JSONValue
    var encryptionConfiguration: JSONValue
    var revisionId: String
    var updateDate: Timestamp
}

/// A published, immutable version (`arn:...:stateMachine:NAME:3`).
struct StateMachineVersionRecord: Sendable {
    var arn: String
    var number: Int
    var revision: StateMachineRevision
    var description: String?
    var creationDate: Timestamp
}

/// An alias (`arn:...:stateMachine:NAME:prod`) that routes starts to one or two versions by weight.
struct StateMachineAliasRecord: Sendable {
    var arn: String
    var name: String
    var description: String?
    var routing: [RoutingEntry]
    var creationDate: Timestamp
    var updateDate: Timestamp

    struct RoutingEntry: Sendable, Equatable {
        var versionArn: String
        var weight: Int
    }

    var routingJSON: JSONValue {
        .array(routing.map { ["stateMachineVersionArn": .string($0.versionArn), "weight": .int($0.weight)] })
    }
}
