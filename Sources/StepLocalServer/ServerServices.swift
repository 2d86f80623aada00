import Logging
import StepLocalASL
import StepLocalEngine

/// What every action handler may use: the configuration, the resource store, the engine and
/// the task-token and activity seams. Built once per application by ``buildApplication(configuration:)``.
struct ServerServices: Sendable {
    var configuration: ServerConfiguration
    var store: any ResourceStore
    var engine: ExecutionEngine
    var logger: Logger
    /// Begins with a graceful shutdown; long polls and synchronous executions end at once.
    var shutdown = ShutdownSignal()

    var clock: any ExecutionClock { engine.clock }

    func now() -> Timestamp { engine.clock.now() }

    /// Executions still running (the shutdown warning counts what it drops).
    func runningExecutionCount() -> Int {
        (try? store.transaction { tables in tables.executions.values.count { $0.execution.status == .running } }) ?? 0
    }
}
