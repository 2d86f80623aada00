import StepLocalEngine
import Synchronization

/// Where the server keeps its resources: in memory (``InMemoryResourceStore``), or also in a
/// SQLite file with `--data-dir` (``SQLiteResourceStore``). Handlers see only this transaction,
/// so another SQL engine could back it without touching a handler.
protocol ResourceStore: Sendable {
    /// Runs `body` with exclusive access to the tables and returns its result.
    func transaction<T: Sendable>(_ body: (inout ResourceTables) throws(AWSServiceError) -> T) throws(AWSServiceError) -> T
    /// Writes whatever is still pending (a graceful shutdown calls it); nothing to do in memory.
    func flush()
    /// Writes nothing more from now on, pending changes included, as when the process dies: the
    /// tests' in-process servers are left this way, so that executions still running in one they
    /// left do not write into the file the next one has taken over. Nothing to do in memory.
    func stopWriting()
    /// Writes an execution's progress now (its Map Runs' records included), for an API call that
    /// changed it outside a transaction and answers only once that is durable (UpdateMapRun);
    /// nothing to do in memory.
    func commitProgress(of execution: Execution) throws(AWSServiceError)
}

extension ResourceStore {
    func flush() {}
    func stopWriting() {}
    func commitProgress(of execution: Execution) throws(AWSServiceError) {}
}

/// The in-memory store: one mutex around all tables. Handlers hold it only for map lookups and
/// updates, never across an `await`.
final class InMemoryResourceStore: ResourceStore {
    private let tables: Mutex<ResourceTables>
    private let forgotten: @Sendable ([String]) -> Void

    /// `maxExecutions`: how many executions are kept before the oldest closed ones are forgotten;
    /// `forgotten` hears the ARNs of executions forgotten (outside the lock), to release what
    /// others keep per execution (mock test case selections).
    init(maxExecutions: Int = ServerConfiguration.defaultMaxExecutions, forgotten: @escaping @Sendable ([String]) -> Void = { _ in }) {
        tables = Mutex(ResourceTables(maxExecutions: maxExecutions))
        self.forgotten = forgotten
    }

    func transaction<T: Sendable>(_ body: (inout ResourceTables) throws(AWSServiceError) -> T) throws(AWSServiceError) -> T {
        var released: [String] = []
        defer { if !released.isEmpty { forgotten(released) } }
        return try tables.withLock { (tables: inout ResourceTables) throws(AWSServiceError) -> T in
            defer { released = tables.takeForgottenExecutions() }
            return try body(&tables)
        }
    }
}
