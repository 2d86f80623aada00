/// All resources of one StepLocal server, keyed by ARN. Handlers read and change them inside
/// one ``ResourceStore/transaction(_:)``, so a check and the change it guards are atomic.
struct ResourceTables: Sendable {
    var stateMachines: [String: StateMachineRecord] = [:]
    var executions: [String: ExecutionRecord] = [:]
    var activities: [String: ActivityRecord] = [:]
    /// Tags per resource ARN, in the order they were first set.
    var tags: [String: [(key: String, value: String)]] = [:]
    private var counter = 0

    /// A number that grows with every call: creation order for listings.
    mutating func nextSequence() -> Int {
        counter += 1
        return counter
    }
}
