import StepLocalASL
import StepLocalJSON

/// Replays history events one at a time and keeps one ``Run`` per `…StateEntered` event: the
/// bookkeeping behind ``ExecutionGraphStatus/summaries(events:)``.
///
/// Which run an event belongs to is found from its `previousEventId`: every event remembers the
/// stack of runs still open on its thread (the enclosing Map/Parallel runs, then the state inside
/// them), and an event starts from the stack its previous event left. Task failures carry no
/// state name, and Parallel branches and Map iterations interleave in the history, so the chain is
/// the only reliable owner. An event without `previousEventId` continues the event before it.
struct StateRunTracker {
    /// One run of a state: from its `…StateEntered` event to its exit (or the end of the history).
    struct Run {
        let name: String
        /// `Task`, `Map`, `Parallel`… as in the event type prefix.
        let type: String
        let enteredEventId: Int
        /// The enclosing Map/Parallel run, if any.
        let parent: Int?
        var input: JSONValue?
        var output: JSONValue?
        var assignedVariables: JSONValue?
        var attempts = 0
        /// The last attempt failed and no retry has started (a Fail state fails by being entered).
        var failing = false
        var error: String?
        var cause: String?
        /// Set once the run is over; open runs are settled by ``summaries()``.
        var ending: StateRunStatus?
    }

    /// How the execution itself ended, if it has.
    enum ExecutionEnd { case succeeded, failed, timedOut, aborted }

    private(set) var runs: [Run] = []
    private var stackAfterEvent: [Int: [Int]] = [:]
    private var lastEventId: Int?
    private var executionEnd: ExecutionEnd?

    private static let attemptStarts: Set<String> = [
        "TaskScheduled", "ActivityScheduled", "LambdaFunctionScheduled", "MapStateStarted", "ParallelStateStarted",
    ]
    private static let attemptSuccesses: Set<String> = [
        "TaskSucceeded", "ActivitySucceeded", "LambdaFunctionSucceeded", "MapStateSucceeded", "ParallelStateSucceeded",
    ]
    private static let workFailures: Set<String> = [
        "TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed",
        "ActivityFailed", "ActivityTimedOut", "ActivityScheduleFailed",
        "LambdaFunctionFailed", "LambdaFunctionTimedOut", "LambdaFunctionScheduleFailed", "LambdaFunctionStartFailed",
    ]
    private static let stateAborts: Set<String> = ["TaskStateAborted", "WaitStateAborted", "MapStateAborted", "ParallelStateAborted"]

    mutating func apply(_ event: JSONValue, fallbackId: Int) {
        guard let type = event["type"]?.stringValue else { return }
        let id = event["id"]?.numberValue?.intValue ?? fallbackId
        var stack: [Int]
        if let previous = event["previousEventId"]?.numberValue?.intValue {
            stack = stackAfterEvent[previous] ?? []
        } else {
            stack = lastEventId.flatMap { stackAfterEvent[$0] } ?? []
        }
        let details = event[Self.detailsKey(for: type)]

        if type.hasSuffix("StateEntered") {
            let details = event["stateEnteredEventDetails"]
            var run = Run(
                name: details?["name"]?.stringValue ?? "", type: String(type.dropLast("StateEntered".count)), enteredEventId: id,
                parent: stack.last)
            run.input = details?["input"].map(Self.parsedPayload)
            run.failing = run.type == "Fail"
            runs.append(run)
            stack.append(runs.count - 1)
        } else if type.hasSuffix("StateExited") {
            let details = event["stateExitedEventDetails"]
            let name = details?["name"]?.stringValue ?? ""
            let position = stack.lastIndex { runs[$0].name == name && runs[$0].ending == nil }
            if let index = position.map({ stack[$0] }) ?? runs.lastIndex(where: { $0.name == name && $0.ending == nil }) {
                runs[index].output = details?["output"].map(Self.parsedPayload)
                if let assigned = details?["assignedVariables"]?.objectValue {
                    runs[index].assignedVariables = .object(assigned.mapValues(Self.parsedPayload))
                }
                // AWS records StateExited after a Catch too: a run that exits failing was caught.
                runs[index].ending = runs[index].failing ? .caught : .succeeded
            }
            if let position { stack.removeSubrange(position...) }
        } else if Self.attemptStarts.contains(type) {
            if let index = innermost(ofType: Self.stateType(of: type), in: stack) {
                runs[stack[index]].attempts += 1
                runs[stack[index]].failing = false
            }
        } else if Self.attemptSuccesses.contains(type) {
            if let index = innermost(ofType: Self.stateType(of: type), in: stack) {
                runs[stack[index]].failing = false
                stack.removeSubrange((index + 1)...)
            }
        } else if Self.workFailures.contains(type) {
            if let index = innermost(ofType: "Task", in: stack) {
                markFailing(stack[index], details: details)
            }
        } else if type == "MapStateFailed" || type == "ParallelStateFailed" || type == "MapRunFailed" {
            if let index = innermost(ofType: Self.stateType(of: type), in: stack) {
                let inner = Array(stack[(index + 1)...])
                settle(inner, as: .failed)
                let container = stack[index]
                markFailing(container, details: details)
                if runs[container].error == nil, let source = inner.last(where: { runs[$0].error != nil }) {
                    runs[container].error = runs[source].error
                    runs[container].cause = runs[source].cause
                }
                stack.removeSubrange((index + 1)...)
            }
        } else if type == "MapIterationFailed" || type == "MapIterationAborted" {
            if let index = innermost(ofType: "Map", in: stack) {
                settle(Array(stack[(index + 1)...]), as: type == "MapIterationFailed" ? .failed : .cancelled)
                stack.removeSubrange((index + 1)...)
            }
        } else if Self.stateAborts.contains(type) {
            if let index = innermost(ofType: String(type.dropLast("StateAborted".count)), in: stack) {
                settle(Array(stack[index...]), as: .cancelled)
                stack.removeSubrange(index...)
            }
        } else if type == "EvaluationFailed" {
            // AWS chains EvaluationFailed to the event *before* the state was entered, so the
            // failing state is found by the `state` it names instead.
            let name = details?["state"]?.stringValue
            if let index = runs.lastIndex(where: { $0.name == name && $0.ending == nil }) ?? runs.lastIndex(where: { $0.name == name }) {
                markFailing(index, details: details)
                stack = stackAfterEvent[runs[index].enteredEventId] ?? stack
            }
        } else if type == "ExecutionFailed" {
            if let top = stack.last {
                if runs[top].error == nil || !runs[top].failing {
                    runs[top].error = details?["error"]?.stringValue
                    runs[top].cause = details?["cause"]?.stringValue
                }
                runs[top].failing = true
                if runs[top].ending == nil { runs[top].ending = .failed }
            }
            executionEnd = .failed
            stack = []
        } else if type == "ExecutionTimedOut" {
            executionEnd = .timedOut
        } else if type == "ExecutionAborted" {
            executionEnd = .aborted
        } else if type == "ExecutionSucceeded" {
            executionEnd = .succeeded
        } else if type == "ExecutionRedriven" {
            executionEnd = nil
        }
        stackAfterEvent[id] = stack
        lastEventId = id
    }

    /// The summaries by state name, settling the runs still open: running while the execution
    /// runs; once it has ended, failed if their last attempt failed (and the execution did not
    /// abort), otherwise cancelled. A run whose enclosing Map/Parallel has ended was stopped with it.
    func summaries() -> [String: StateRunSummary] {
        var result: [String: StateRunSummary] = [:]
        for index in runs.indices {
            let run = runs[index]
            let status = run.ending ?? openRunStatus(index)
            var summary = result[run.name] ?? StateRunSummary(status: status)
            summary.status = Self.moreTelling(summary.status, status, first: summary.enteredEventIds.isEmpty)
            summary.input = run.input ?? summary.input
            if run.output != nil { summary.output = run.output }
            if run.assignedVariables != nil { summary.assignedVariables = run.assignedVariables }
            if run.error != nil || run.cause != nil {
                summary.error = run.error
                summary.cause = run.cause
            }
            let countsItsWork = ["Task", "Map", "Parallel"].contains(run.type)
            summary.attempts += countsItsWork ? run.attempts : max(run.attempts, 1)
            summary.enteredEventIds.append(run.enteredEventId)
            result[run.name] = summary
        }
        return result
    }

    private func openRunStatus(_ index: Int) -> StateRunStatus {
        let run = runs[index]
        var ancestor = run.parent
        while let a = ancestor {
            if runs[a].ending != nil { return run.failing ? .failed : .cancelled }
            ancestor = runs[a].parent
        }
        switch executionEnd {
        case nil: return .running
        case .aborted: return .cancelled
        case .succeeded, .failed, .timedOut: return run.failing ? .failed : .cancelled
        }
    }

    /// Aggregation across runs: running, then failed, cancelled, caught, succeeded.
    private static func moreTelling(_ a: StateRunStatus, _ b: StateRunStatus, first: Bool) -> StateRunStatus {
        if first { return b }
        let order: [StateRunStatus] = [.running, .failed, .cancelled, .caught, .succeeded, .notReached]
        return order.firstIndex(of: a)! <= order.firstIndex(of: b)! ? a : b
    }

    private func innermost(ofType type: String, in stack: [Int]) -> Int? {
        stack.lastIndex { runs[$0].type == type }
    }

    private mutating func markFailing(_ index: Int, details: JSONValue?) {
        runs[index].failing = true
        if let error = details?["error"]?.stringValue { runs[index].error = error }
        if let cause = details?["cause"]?.stringValue { runs[index].cause = cause }
    }

    private mutating func settle(_ indexes: [Int], as status: StateRunStatus) {
        for index in indexes where runs[index].ending == nil {
            runs[index].ending = status == .cancelled && runs[index].failing ? .failed : status
        }
    }

    /// `TaskFailed` → `taskFailedEventDetails`: the model's member (``HistoryEventType``); a type
    /// newer than the model StepLocal knows (a history recorded from AWS) by botocore's naming rule.
    static func detailsKey(for type: String) -> String {
        HistoryEventType(rawValue: type)?.detailsKey ?? (type.prefix(1).lowercased() + type.dropFirst() + "EventDetails")
    }

    /// The state type a Map/Parallel/Task event belongs to.
    static func stateType(of eventType: String) -> String {
        if eventType.hasPrefix("Map") { return "Map" }
        if eventType.hasPrefix("Parallel") { return "Parallel" }
        return "Task"
    }

    /// History payloads are JSON text; a text that does not parse is kept as a string.
    static func parsedPayload(_ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value else { return value }
        return (try? JSONParser.parse(text)) ?? value
    }
}
