import StepLocalASL

/// What the engine asks of an event type while it records.
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
