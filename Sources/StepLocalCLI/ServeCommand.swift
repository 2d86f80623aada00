import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StepLocalIntegrations
import StepLocalScenarios
import StepLocalServer

/// `steplocal serve`: runs the Step Functions API (AWS JSON 1.0) until SIGTERM or SIGINT.
/// Settings come from flags first, then Step Functions Local's environment variables, then
/// defaults; this is the only place that reads them.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Step Functions API server.",
        discussion: """
            Point any AWS SDK or the AWS CLI at it, e.g.
              aws stepfunctions --endpoint-url http://localhost:8083 list-state-machines
            Environment: AWS_DEFAULT_REGION (us-east-1), AWS_ACCOUNT_ID (123456789012), WAIT_TIME_SCALE (1).
            A request signed for another region is served in that region.
            """)

    @Option(help: "The address to listen on (0.0.0.0 in a container).")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8083

    @Option(help: "Region for unsigned requests. [env: AWS_DEFAULT_REGION, default: us-east-1]")
    var region: String?

    @Option(help: "Account id in every ARN. [env: AWS_ACCOUNT_ID, default: 123456789012]")
    var accountId: String?

    @Option(help: "Multiplies Wait state and retry durations; 0 skips them. [env: WAIT_TIME_SCALE, default: 1]")
    var waitTimeScale: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .customLong("mock-config"), help: "Step Functions Local mock configuration; start executions as '<arn>#<TestCase>'. [env: SFN_MOCK_CONFIG]")
    var mockConfig: String?

    @Option(help: "Load scenario files from this directory: their test cases become '<arn>#<case>'.")
    var scenarios: String?

    @Option(help: "Connections served at once; more are answered 503 and closed. [default: 4096, at most half the open-file limit]")
    var maxConnections: Int?

    @Option(help: "Seconds a connection may idle, or take to send one request, before it is closed. Requests being answered are never cut.")
    var idleTimeout: Double = 60

    @Option(help: "Executions kept; beyond it the oldest closed ones are forgotten. [env: STEPLOCAL_MAX_EXECUTIONS, default: 100000]")
    var maxExecutions: Int?

    @Option(help: "Keep state machines, activities, tags and executions in DIR (one SQLite file) so they survive a restart. [env: STEPLOCAL_DATA_DIR, default: memory only]")
    var dataDir: String?

    @Option(help: "Serve S3 to Distributed Maps from DIR: ItemReader reads bucket B, key K from DIR/B/K, ResultWriter writes there. [env: STEPLOCAL_S3_DIR, default: none]")
    var s3Dir: String?

    @OptionGroup var endpointOptions: EndpointOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let waitTimeScale, waitTimeScale < 0 { throw ValidationError("--wait-time-scale must not be negative") }
        if let maxExecutions, maxExecutions < 1 { throw ValidationError("--max-executions must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown --log-level '\(logLevel)'") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard idleTimeout > 0, idleTimeout <= 86_400 else { throw ValidationError("--idle-timeout must be between 0 and 86400 seconds") }
    }

    func resolvedConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        var scale = waitTimeScale
        if scale == nil, let text = env("WAIT_TIME_SCALE") {
            guard let value = Double(text), value >= 0 else {
                throw ValidationError("WAIT_TIME_SCALE must be a non-negative number, got '\(text)'")
            }
            scale = value
        }
        let scenarios = try loadScenarios()
        let accountId = accountId ?? env("AWS_ACCOUNT_ID") ?? "123456789012"
        var configuration = ServerConfiguration(
            host: host,
            port: port,
            region: region ?? env("AWS_DEFAULT_REGION") ?? env("AWS_REGION") ?? "us-east-1",
            accountId: accountId,
            waitTimeScale: scale ?? 1,
            mockConfig: try loadMocks(mockConfig ?? env("SFN_MOCK_CONFIG"), scenarios: scenarios))
        configuration.stateMachines = Self.stateMachines(of: scenarios, accountId: accountId)
        if let problem = configuration.identityProblem { throw ValidationError(problem) }
        configuration.connectionLimits = try connectionLimits(fileLimit: FileDescriptorLimit.raiseToHardLimit())
        if let limit = maxExecutions {
            configuration.maxExecutions = limit
        } else if let text = env("STEPLOCAL_MAX_EXECUTIONS") {
            guard let value = Int(text), value >= 1 else {
                throw ValidationError("STEPLOCAL_MAX_EXECUTIONS must be a whole number of at least 1, got '\(text)'")
            }
            configuration.maxExecutions = value
        }
        configuration.dataDirectory = dataDir ?? env("STEPLOCAL_DATA_DIR")
        if let directory = s3Dir ?? env("STEPLOCAL_S3_DIR") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--s3-dir '\(directory)' is not a folder (its subfolders are the buckets)")
            }
            configuration.objectStore = DirectoryObjectStore(root: URL(fileURLWithPath: directory))
        }
        // Real endpoints: only what a flag or a variable names; without any, unmocked Tasks fail as before.
        let resolved = try endpointOptions.resolved(environment: environment, region: configuration.region, ownAddress: (host, port))
        if !resolved.isEmpty || !resolved.notes.isEmpty { configuration.dispatcher = EndpointTaskDispatcher(configuration: resolved) }
        // ItemReader and ResultWriter: --s3-dir first, else an S3 endpoint if one is configured.
        if configuration.objectStore == nil, let s3 = resolved.endpoint(for: "s3") {
            configuration.objectStore = S3EndpointObjectStore(endpoint: s3, credentials: resolved.credentials, region: configuration.region)
        }
        return configuration
    }

    /// The cap stays below the open-file limit (raised to the hard limit first), so the server
    /// never runs out of descriptors for its own answers.
    func connectionLimits(fileLimit: Int) throws -> ConnectionLimits {
        let room = fileLimit - 64
        if let maxConnections, maxConnections > room {
            throw ValidationError("--max-connections \(maxConnections) leaves no room below the open-file limit of \(fileLimit); use at most \(room)")
        }
        return ConnectionLimits(
            maximumConnections: maxConnections ?? FileDescriptorLimit.defaultMaximumConnections(softLimit: fileLimit),
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)))
    }

    /// The mock config and scenario test cases, loaded and validated before the server starts:
    /// a bad file stops start-up with its file, location and problem.
    func loadMocks(_ path: String?, scenarios: [Scenario]) throws -> MockConfig {
        var config = MockConfig()
        if let path {
            do {
                config = try MockConfigLoader.load(path: path)
            } catch {
                throw ValidationError("Invalid mock config: \(error.description)")
            }
        }
        config.merge(Scenario.mockConfig(scenarios))
        return config
    }

    /// One state machine per scenario machine name (the first file that names it wins), created
    /// in process before the server listens, so `arn#case` can be started at once.
    static func stateMachines(of scenarios: [Scenario], accountId: String) -> [PreloadedStateMachine] {
        var seen: Set<String> = []
        return scenarios.filter { seen.insert($0.stateMachineName).inserted }.map { scenario in
            PreloadedStateMachine(
                name: scenario.stateMachineName, definition: scenario.definitionText, type: scenario.type,
                roleArn: "arn:aws:iam::\(accountId):role/StepLocalScenarios")
        }
    }

    func loadScenarios() throws -> [Scenario] {
        guard let scenarios else { return [] }
        do {
            return try ScenarioLoader.discover([scenarios]).map { path throws(ScenarioError) in try ScenarioLoader.load(path: path) }
        } catch {
            throw ValidationError("Invalid scenario file: \(error.description)")
        }
    }

    func run() async throws {
        let configuration = try resolvedConfiguration()
        var logger = DeferredMetadataLogHandler.logger(label: "steplocal")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let server: any Service
        do {
            server = try buildServerService(configuration: configuration, logger: logger)
        } catch {
            // What start-up refused: a scenario's state machine (AWS's error) or the data directory.
            let what = configuration.stateMachines.isEmpty ? "Could not start" : "Could not start (scenario state machines or data directory)"
            throw ValidationError("\(what): \(error.type): \(error.message)")
        }
        logger.info(
            "StepLocal serving the Step Functions API",
            metadata: [
                "address": "\(configuration.host):\(configuration.port)", "region": "\(configuration.region)",
                "account": "\(configuration.accountId)", "waitTimeScale": "\(configuration.waitTimeScale)",
                "maxConnections": "\(configuration.connectionLimits.maximumConnections)",
            ])
        for machine in configuration.stateMachines {
            logger.info("Created scenario state machine", metadata: ["name": "\(machine.name)"])
        }
        if let real = configuration.dispatcher as? EndpointTaskDispatcher {
            for (service, endpoint) in real.configuration.endpoints.sorted(by: { $0.key < $1.key }) {
                logger.info("Unmocked Tasks call a real endpoint", metadata: ["service": "\(service)", "url": "\(endpoint.url)", "from": "\(endpoint.origin)"])
            }
            if real.configuration.awsPassthrough {
                logger.notice("--aws-passthrough: unmocked Tasks of every other service call AWS itself, billed to the credentials in the environment")
            }
            for note in real.configuration.notes { logger.notice("\(note)") }
        }
        try await Self.serve(server, logger: logger)
    }

    /// Runs `server` until SIGTERM or SIGINT, which shut it down gracefully: the executions'
    /// timers stop first (``ExecutionTimersService``), then the server writes what is pending.
    static func serve(_ server: any Service, logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [server, ExecutionTimersService()], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
