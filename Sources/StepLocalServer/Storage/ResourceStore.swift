import Synchronization

/// Where the server keeps its resources. In memory now; a `--data-dir` store (GRDB) can
/// implement the same transaction later without touching a handler.
protocol ResourceStore: Sendable {
    /// Runs `body` with exclusive access to the tables and returns its result.
    func transaction<T: Sendable>(_ body: (inout ResourceTables) throws(AWSServiceError) -> T) throws(AWSServiceError) -> T
}

/// The in-memory store: one mutex around all tables. Handlers hold it only for map lookups and
/// updates, never across an `await`.
final class InMemoryResourceStore: ResourceStore {
    private let tables = Mutex(ResourceTables())

    init() {}

    func transaction<T: Sendable>(_ body: (inout ResourceTables) throws(AWSServiceError) -> T) throws(AWSServiceError) -> T {
        try tables.withLock { (tables: inout ResourceTables) throws(AWSServiceError) -> T in
            try body(&tables)
        }
    }
}
