import StepLocalASL
import StepLocalIntrinsics

/// A parsed Step Functions ARN (`arn:aws:states:REGION:ACCOUNT:TYPE:...`), read by
/// StepLocalASL's ``ARN`` and checked as AWS checks it. Handlers use it to
/// tell a state machine from an execution, and a version or alias qualifier from a plain
/// state machine ARN, answering `InvalidArn` the way AWS does for anything else.
struct StatesARN: Sendable, Equatable {
    enum ResourceType: String, Sendable {
        case stateMachine
        case execution
        case express
        case activity
        case mapRun
    }

    var partition: String
    var region: String
    var account: String
    var resourceType: ResourceType
    /// The parts after the resource type, split on `:`.
    var components: [String]

    /// Parses `text`; throws `InvalidArn` with AWS's reason when it is not a Step Functions ARN.
    init(parsing text: String) throws(AWSServiceError) {
        guard let arn = ARN(text), arn.resource.count >= 2, !arn.partition.isEmpty, arn.service == "states" else {
            throw .invalidArn(text, reason: "Invalid ARN prefix: \(text)")
        }
        guard let type = ResourceType(rawValue: arn.resource[0]) else {
            throw .invalidArn(text, reason: "Resource type not valid in this context: \(arn.resource[0])")
        }
        partition = arn.partition
        region = arn.region
        account = arn.account
        resourceType = type
        components = Array(arn.resource.dropFirst())
        guard components.allSatisfy({ !$0.isEmpty }) else { throw .invalidArn(text) }
    }

    /// The state machine ARN with any version or alias qualifier removed.
    var unqualifiedStateMachineArn: String {
        "arn:\(partition):states:\(region):\(account):stateMachine:\(components[0])"
    }

    /// The qualifier of a state machine ARN: a version number or an alias name.
    var qualifier: StateMachineQualifier? {
        guard resourceType == .stateMachine, components.count == 2 else { return nil }
        if let number = Int(components[1]), number > 0 { return .version(number) }
        return .alias(components[1])
    }

    /// Requires the ARN to name one of `types`, as AWS checks before looking anything up.
    static func expect(_ text: String, _ types: ResourceType...) throws(AWSServiceError) -> StatesARN {
        let arn = try StatesARN(parsing: text)
        guard types.contains(arn.resourceType) else {
            throw .invalidArn(text, reason: "Resource type not valid in this context: \(arn.resourceType.rawValue)")
        }
        return arn
    }
}

/// What a qualified state machine ARN points at.
enum StateMachineQualifier: Sendable, Equatable {
    case version(Int)
    case alias(String)
}

/// Mints ARNs in one region and account.
struct ARNFactory: Sendable {
    var region: String
    var account: String

    func stateMachine(_ name: String) -> String { arn("stateMachine", name) }
    func activity(_ name: String) -> String { arn("activity", name) }
    func execution(stateMachine: String, name: String) -> String { arn("execution", stateMachine, name) }
    /// Express executions carry an extra id, as AWS's do.
    func expressExecution(stateMachine: String, name: String) -> String {
        arn("express", stateMachine, name, Identifiers.uuid())
    }

    /// `arn:aws:states:<region>:<account>:` and `parts` joined by colons, written into one string
    /// sized for it: built by interpolation, an express execution's ARN took five allocations
    /// (the prefix, then the text growing), one of every StartSyncExecution's (issue 16).
    private func arn(_ parts: String...) -> String {
        let head = "arn:aws:states:"
        var length = head.utf8.count + region.utf8.count + 1 + account.utf8.count
        for part in parts { length += 1 + part.utf8.count }
        var text = String()
        text.reserveCapacity(length)
        text += head
        text += region
        text += ":"
        text += account
        for part in parts {
            text += ":"
            text += part
        }
        return text
    }
}
