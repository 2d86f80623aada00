import Logging
import ServiceLifecycle

/// The application as `steplocal serve` runs it: Hummingbird's server, plus what StepLocal must
/// do when a graceful shutdown (SIGTERM/SIGINT) begins: end long polls and synchronous
/// executions so the server can finish at once, and say how many running executions are lost,
/// since they live in memory only.
struct StepLocalService: Service, CustomStringConvertible {
    let application: any Service
    let services: ServerServices

    /// The name ServiceLifecycle logs. Without it, ServiceGroup's `"\(service)"` described the
    /// whole application by reflection: about a quarter of start-up (perf), some 5 ms.
    var description: String { "StepLocal" }

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: { [services] in
            services.shutdown.begin()
            services.store.flush()
            let running = services.runningExecutionCount()
            if running > 0 {
                let fate =
                    services.configuration.dataDirectory == nil
                    ? "dropped (without --data-dir StepLocal keeps executions in memory only)"
                    : "kept in the data directory and resumed at the next start"
                services.logger.warning(
                    "Shutting down: \(running) running execution\(running == 1 ? " is" : "s are") \(fate)",
                    metadata: ["runningExecutions": "\(running)"])
            }
        }
    }
}
