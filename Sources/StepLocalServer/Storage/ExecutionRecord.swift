import StepLocalASL
import StepLocalEngine

/// An execution as the API knows it: the engine's live ``Execution`` plus what the API must
/// answer about how it was started (through which version or alias, with which definition).
struct ExecutionRecord: Sendable {
    var arn: String
    var name: String
    /// Always the unqualified state machine ARN, as DescribeExecution reports it.
    var stateMachineArn: String
    var stateMachineName: String
    var stateMachineVersionArn: String?
    var stateMachineAliasArn: String?
    var type: StateMachineType
    /// The input text as sent, echoed by DescribeExecution.
    var inputText: String
    var traceHeader: String?
    /// The revision the execution runs (DescribeStateMachineForExecution).
    var revision: StateMachineRevision
    var startDate: Timestamp
    var sequence: Int
    var execution: Execution
    /// For a child execution of a Distributed Map: the map run that started it.
    var mapRunArn: String? = nil
    /// The mock test case it was started with (`stateMachineArn#TestCase`), bound again after a restart.
    var mockTestCase: String? = nil
    /// The client tokens of the latest redrives, for RedriveExecution's idempotency.
    var redriveTokens: [(token: String, date: Timestamp)] = []
}
