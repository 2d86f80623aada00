import StepLocalASL

/// Publishing versions of a state machine record.
extension StateMachineRecord {
    /// The latest published version, if any.
    var latestVersion: StateMachineVersionRecord? {
        versions.values.max { $0.number < $1.number }
    }

    /// Publishes the current revision as the next version number; AWS never reuses numbers.
    mutating func publish(description: String?, at now: Timestamp) -> StateMachineVersionRecord {
        let number = nextVersionNumber
        nextVersionNumber += 1
        let version = StateMachineVersionRecord(
            arn: "\(arn):\(number)", number: number, revision: revision, description: description, creationDate: now)
        versions[number] = version
        return version
    }
}
