import StepLocalASL

/// Every history event type AWS defines (`HistoryEventType` in the service model), each with the
/// member its details go in (`HistoryEvent` in the model): `<Type>StateEntered` events share
/// `stateEnteredEventDetails`, most others use their own name, and some carry none. It exists so
/// that no call site spells an event type or builds a details key by hand (generated from
/// botocore's model; `HistoryEventTypeTests` checks it against the model).
public enum HistoryEventType: String, Sendable, CaseIterable {
    case activityFailed = "ActivityFailed"
    case activityScheduled = "ActivityScheduled"
    case activityScheduleFailed = "ActivityScheduleFailed"
    case activityStarted = "ActivityStarted"
    case activitySucceeded = "ActivitySucceeded"
    case activityTimedOut = "ActivityTimedOut"
    case choiceStateEntered = "ChoiceStateEntered"
    case choiceStateExited = "ChoiceStateExited"
    case executionAborted = "ExecutionAborted"
    case executionFailed = "ExecutionFailed"
    case executionStarted = "ExecutionStarted"
    case executionSucceeded = "ExecutionSucceeded"
    case executionTimedOut = "ExecutionTimedOut"
    case failStateEntered = "FailStateEntered"
    case lambdaFunctionFailed = "LambdaFunctionFailed"
    case lambdaFunctionScheduled = "LambdaFunctionScheduled"
    case lambdaFunctionScheduleFailed = "LambdaFunctionScheduleFailed"
    case lambdaFunctionStarted = "LambdaFunctionStarted"
    case lambdaFunctionStartFailed = "LambdaFunctionStartFailed"
    case lambdaFunctionSucceeded = "LambdaFunctionSucceeded"
    case lambdaFunctionTimedOut = "LambdaFunctionTimedOut"
    case mapIterationAborted = "MapIterationAborted"
    case mapIterationFailed = "MapIterationFailed"
    case mapIterationStarted = "MapIterationStarted"
    case mapIterationSucceeded = "MapIterationSucceeded"
    case mapStateAborted = "MapStateAborted"
    case mapStateEntered = "MapStateEntered"
    case mapStateExited = "MapStateExited"
    case mapStateFailed = "MapStateFailed"
    case mapStateStarted = "MapStateStarted"
    case mapStateSucceeded = "MapStateSucceeded"
    case parallelStateAborted = "ParallelStateAborted"
    case parallelStateEntered = "ParallelStateEntered"
    case parallelStateExited = "ParallelStateExited"
    case parallelStateFailed = "ParallelStateFailed"
    case parallelStateStarted = "ParallelStateStarted"
    case parallelStateSucceeded = "ParallelStateSucceeded"
    case passStateEntered = "PassStateEntered"
    case passStateExited = "PassStateExited"
    case succeedStateEntered = "SucceedStateEntered"
    case succeedStateExited = "SucceedStateExited"
    case taskFailed = "TaskFailed"
    case taskScheduled = "TaskScheduled"
    case taskStarted = "TaskStarted"
    case taskStartFailed = "TaskStartFailed"
    case taskStateAborted = "TaskStateAborted"
    case taskStateEntered = "TaskStateEntered"
    case taskStateExited = "TaskStateExited"
    case taskSubmitFailed = "TaskSubmitFailed"
    case taskSubmitted = "TaskSubmitted"
    case taskSucceeded = "TaskSucceeded"
    case taskTimedOut = "TaskTimedOut"
    case waitStateAborted = "WaitStateAborted"
    case waitStateEntered = "WaitStateEntered"
    case waitStateExited = "WaitStateExited"
    case mapRunAborted = "MapRunAborted"
    case mapRunFailed = "MapRunFailed"
    case mapRunStarted = "MapRunStarted"
    case mapRunSucceeded = "MapRunSucceeded"
    case executionRedriven = "ExecutionRedriven"
    case mapRunRedriven = "MapRunRedriven"
    case evaluationFailed = "EvaluationFailed"

    /// The `HistoryEvent` member the details go in; nil for the types that carry none.
    public var detailsKey: String? {
        switch self {
        case .activityFailed: "activityFailedEventDetails"
        case .activityScheduled: "activityScheduledEventDetails"
        case .activityScheduleFailed: "activityScheduleFailedEventDetails"
        case .activityStarted: "activityStartedEventDetails"
        case .activitySucceeded: "activitySucceededEventDetails"
        case .activityTimedOut: "activityTimedOutEventDetails"
        case .choiceStateEntered, .failStateEntered, .mapStateEntered, .parallelStateEntered, .passStateEntered, .succeedStateEntered, .taskStateEntered, .waitStateEntered: "stateEnteredEventDetails"
        case .choiceStateExited, .mapStateExited, .parallelStateExited, .passStateExited, .succeedStateExited, .taskStateExited, .waitStateExited: "stateExitedEventDetails"
        case .executionAborted: "executionAbortedEventDetails"
        case .executionFailed: "executionFailedEventDetails"
        case .executionStarted: "executionStartedEventDetails"
        case .executionSucceeded: "executionSucceededEventDetails"
        case .executionTimedOut: "executionTimedOutEventDetails"
        case .lambdaFunctionFailed: "lambdaFunctionFailedEventDetails"
        case .lambdaFunctionScheduled: "lambdaFunctionScheduledEventDetails"
        case .lambdaFunctionScheduleFailed: "lambdaFunctionScheduleFailedEventDetails"
        case .lambdaFunctionStartFailed: "lambdaFunctionStartFailedEventDetails"
        case .lambdaFunctionSucceeded: "lambdaFunctionSucceededEventDetails"
        case .lambdaFunctionTimedOut: "lambdaFunctionTimedOutEventDetails"
        case .mapIterationAborted: "mapIterationAbortedEventDetails"
        case .mapIterationFailed: "mapIterationFailedEventDetails"
        case .mapIterationStarted: "mapIterationStartedEventDetails"
        case .mapIterationSucceeded: "mapIterationSucceededEventDetails"
        case .mapStateStarted: "mapStateStartedEventDetails"
        case .taskFailed: "taskFailedEventDetails"
        case .taskScheduled: "taskScheduledEventDetails"
        case .taskStarted: "taskStartedEventDetails"
        case .taskStartFailed: "taskStartFailedEventDetails"
        case .taskSubmitFailed: "taskSubmitFailedEventDetails"
        case .taskSubmitted: "taskSubmittedEventDetails"
        case .taskSucceeded: "taskSucceededEventDetails"
        case .taskTimedOut: "taskTimedOutEventDetails"
        case .mapRunFailed: "mapRunFailedEventDetails"
        case .mapRunStarted: "mapRunStartedEventDetails"
        case .executionRedriven: "executionRedrivenEventDetails"
        case .mapRunRedriven: "mapRunRedrivenEventDetails"
        case .evaluationFailed: "evaluationFailedEventDetails"
        default: nil
        }
    }
}

extension HistoryEventType {
    /// `Execution*` events: recorded even once the execution has stopped (its own ending).
    var isExecutionEvent: Bool {
        switch self {
        case .executionAborted, .executionFailed, .executionStarted, .executionSucceeded, .executionTimedOut, .executionRedriven: true
        default: false
        }
    }
}

extension State {
    /// `<Type>StateEntered`.
    var enteredEvent: HistoryEventType {
        switch kind {
        case .pass: .passStateEntered
        case .task: .taskStateEntered
        case .choice: .choiceStateEntered
        case .wait: .waitStateEntered
        case .succeed: .succeedStateEntered
        case .fail: .failStateEntered
        case .parallel: .parallelStateEntered
        case .map: .mapStateEntered
        }
    }

    /// `<Type>StateExited`; a Fail state has none (AWS ends it at FailStateEntered), so it never asks.
    var exitedEvent: HistoryEventType {
        switch kind {
        case .pass: .passStateExited
        case .task: .taskStateExited
        case .choice: .choiceStateExited
        case .wait: .waitStateExited
        case .succeed: .succeedStateExited
        case .parallel: .parallelStateExited
        case .map: .mapStateExited
        case .fail: preconditionFailure("a Fail state is never exited")
        }
    }
}
