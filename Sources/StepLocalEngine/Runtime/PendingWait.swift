import StepLocalASL

/// What one thread of a running execution is waiting for: a Wait state's end, a Retry's
/// back-off, a Task's answer (a call, a worker's callback with its token, a job or child
/// execution, an activity worker) or a Map Run's children, with when it began and when it ends by
/// itself; and the execution's own TimeoutSeconds, which they all race. The execution
/// keeps these as data beside its history (``Execution/pendingWaits``), not only as suspended
/// tasks, so whoever looks at a run that has not moved (the console) can say why, and until when.
public struct PendingWait: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A Wait state, until its Seconds, Timestamp or their paths say.
        case wait
        /// A Retry's back-off before the state's attempt `attempt` (2 for the first retry).
        case retry(attempt: Int)
        /// A Task's work, as its resource's integration pattern shapes it.
        case task(TaskWait)
        /// A Distributed Map, for the child executions of its Map Run (this ARN) to end.
        case mapRun(arn: String)
        /// Not a thread's wait but the execution's own `TimeoutSeconds`, which every thread
        /// races: ``stateName`` is empty, ``since`` the (re)start it counts from and ``until``
        /// when the execution times out.
        case executionTimeout
    }

    /// How a Task waits, read from its resource (see ``TaskResourceARN``).
    public enum TaskWait: String, Sendable, Equatable {
        /// A request and its response (a mock's answer, a forwarded call).
        case call
        /// `.waitForTaskToken`: for SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat with its token.
        case callback
        /// `.sync`: for a job or child execution to end.
        case job
        /// An activity: for a worker to take the task (GetActivityTask) and answer it.
        case activity
    }

    /// The state the thread is in.
    public var stateName: String
    /// Inside Map iterations, their indexes from the outermost Map in; empty elsewhere.
    public var iterations: [Int]
    public var kind: Kind
    /// When the wait began: the Wait state's entry, the failure that started the back-off, the dispatch.
    public var since: Timestamp
    /// When it ends by itself: the Wait's end, the back-off's end, the Task's TimeoutSeconds
    /// (nil when it may wait for ever).
    public var until: Timestamp?
    /// A Task's HeartbeatSeconds, when it has one.
    public var heartbeatSeconds: Int?
    /// When the worker's latest SendTaskHeartbeat for this Task arrived (nil before the first):
    /// the next heartbeat period counts from it (see ``heartbeatDue``).
    public var lastHeartbeat: Timestamp?

    /// When the Task fails with States.HeartbeatTimeout unless a heartbeat (or its answer) comes
    /// first: HeartbeatSeconds after the later of the dispatch and the latest heartbeat. Nil
    /// without HeartbeatSeconds.
    public var heartbeatDue: Timestamp? {
        guard let heartbeatSeconds, heartbeatSeconds > 0 else { return nil }
        return max(since, lastHeartbeat ?? since).adding(seconds: Double(heartbeatSeconds))
    }

    public init(stateName: String, iterations: [Int], kind: Kind, since: Timestamp, until: Timestamp?, heartbeatSeconds: Int? = nil) {
        self.stateName = stateName
        self.iterations = iterations
        self.kind = kind
        self.since = since
        self.until = until
        self.heartbeatSeconds = heartbeatSeconds
    }
}

extension TaskResourceARN {
    /// How a Task on this resource waits.
    var pendingWait: PendingWait.TaskWait {
        if isActivity { return .activity }
        switch pattern {
        case .waitForTaskToken: return .callback
        case .sync, .sync2: return .job
        case .requestResponse: return .call
        }
    }
}
