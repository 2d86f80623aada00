import StepLocalASL
import StepLocalJSON
import Synchronization

/// Lets a dispatcher record the history events that happen while a task is in flight and that
/// only it can see: `ActivityStarted` when a worker picks an activity task up, `TaskSubmitted`
/// once a `.sync` or `.waitForTaskToken` call has been accepted. Events are chained after the
/// task's own events, so `previousEventId` stays right even with Parallel branches recording
/// beside them. It also carries a worker's heartbeats back to the execution's listed wait.
public final class TaskEventSink: Sendable {
    private let execution: Execution?
    /// The branch or iteration log the task's thread keeps, if any (see ``ThreadEventLog``).
    private let threadLog: ThreadEventLog?
    /// The task's thread's clock: a branch that waited is stamped on its own time.
    private let clock: (any ExecutionClock)?
    /// The task's entry among the execution's pending waits (0: none).
    private let pendingWait: Int
    private let state: Mutex<(lastEventId: Int, types: Set<HistoryEventType>)>

    init(execution: Execution, lastEventId: Int, threadLog: ThreadEventLog?, clock: any ExecutionClock, pendingWait: Int) {
        self.execution = execution
        self.threadLog = threadLog
        self.clock = clock
        self.pendingWait = pendingWait
        state = Mutex((lastEventId, []))
    }

    /// A sink that records nothing: for requests built outside an execution (tests, TestState).
    public init() {
        execution = nil
        threadLog = nil
        clock = nil
        pendingWait = 0
        state = Mutex((0, []))
    }

    /// Records `type` (e.g. `.activityStarted`) with its details under AWS's member for it.
    public func record(_ type: HistoryEventType, details: JSONObject) {
        guard let execution else { return }
        state.withLock { s in
            let id = execution.record(type, details: details, previous: s.lastEventId, at: clock?.now())
            if id > 0 {
                s.lastEventId = id
                threadLog?.append(id)
            }
            s.types.insert(type)
        }
    }

    /// A worker's SendTaskHeartbeat for the task was accepted at `moment` (or, after a restart,
    /// had been): the execution's listed wait says when the next one is due
    /// (``PendingWait/heartbeatDue``). Heartbeats are not history events on AWS either.
    public func heartbeat(at moment: Timestamp) {
        guard let execution, pendingWait != 0 else { return }
        execution.noteHeartbeat(waitId: pendingWait, at: moment)
    }

    /// Whether an event of this type was recorded through the sink.
    public func hasRecorded(_ type: HistoryEventType) -> Bool { state.withLock { $0.types.contains(type) } }

    var lastEventId: Int { state.withLock { $0.lastEventId } }
}
