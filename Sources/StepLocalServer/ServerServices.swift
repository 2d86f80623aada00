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

    var clock: any ExecutionClock { engine.clock }

    func now() -> Timestamp { engine.clock.now() }
}
