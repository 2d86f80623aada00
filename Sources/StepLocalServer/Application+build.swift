public import Hummingbird
public import Logging
public import ServiceLifecycle
import StepLocalEngine
import StepLocalIntegrations

/// Builds the StepLocal application: the AWS JSON 1.0 endpoint on `POST /`, `GET /health` and the
/// web console on `GET /` (see ``ConsoleRoutes``).
/// `steplocal serve` runs what this returns, and the tests drive the very same application
/// with `app.test(.router)`. The configuration's ``ServerConfiguration/stateMachines`` are
/// created before it returns; one that CreateStateMachine would refuse is thrown as AWS's error.
public func buildApplication(configuration: ServerConfiguration, logger: Logger? = nil) throws(AWSServiceError) -> some ApplicationProtocol {
    try makeApplication(configuration: configuration, logger: logger).application
}

func makeApplication(configuration: ServerConfiguration, logger: Logger?) throws(AWSServiceError) -> (application: some ApplicationProtocol, services: ServerServices) {
    let logger = logger ?? DeferredMetadataLogHandler.logger(label: "steplocal")
    var configuration = configuration
    let clock = configuration.effectiveClock
    let store: any ResourceStore
    var persistent: SQLiteResourceStore?
    if let directory = configuration.dataDirectory {
        do {
            let opened = try SQLiteResourceStore(
                directory: directory, maxExecutions: configuration.maxExecutions, forgotten: configuration.mockSelections.unbind, logger: logger)
            let summary = try opened.load(clock: clock)
            logger.info(
                "Data directory \(directory): \(summary.stateMachines) state machines, \(summary.activities) activities, \(summary.executions) executions, \(summary.running) of them resumed")
            persistent = opened
            store = opened
        } catch let error as AWSServiceError {
            throw error
        } catch {
            throw .internalFailure("StepLocal cannot use the data directory \(directory): \(error)")
        }
    } else {
        store = InMemoryResourceStore(maxExecutions: configuration.maxExecutions, forgotten: configuration.mockSelections.unbind)
    }
    // Task tokens, activities and nested executions run here, behind any mocks and in front of
    // the configured fallback; SendTask*/GetActivityTask reach the same registry and queues.
    let callbacks = CallbackRegistry(clock: clock)
    let activities = ActivityScheduler()
    let nested = StoreNestedExecutions(
        store: store, region: configuration.region, accountId: configuration.accountId, routingDraw: configuration.routingDraw)
    // A Step Functions endpoint (STEP_FUNCTIONS_ENDPOINT) runs nested executions instead: the local
    // dispatcher then leaves `states:startExecution` to the endpoint dispatcher, still behind every mock.
    let endpoints = configuration.dispatcher as? EndpointTaskDispatcher
    let local = LocalTaskDispatcher(
        callbacks: callbacks, activities: activities, activityDirectory: StoreActivityDirectory(store: store),
        nestedExecutions: endpoints?.runsNestedExecutionsRemotely == true ? nil : nested, fallback: configuration.dispatcher)
    if configuration.taskCallbacks is NoTaskCallbacks {
        configuration.taskCallbacks = LocalTaskCallbacks(registry: callbacks, activities: activities, answerLog: persistent)
    }
    if configuration.activityTasks is NoActivityTasks { configuration.activityTasks = LocalActivityTasks(scheduler: activities) }
    // Real endpoints also make the calls of `.waitForTaskToken` tasks (the SQS message that
    // carries the token), then wait in the same registry: in front of the local token handling,
    // still behind every mock. Without endpoints the chain is exactly the local one.
    var unmocked: any TaskDispatcher = local
    if let endpoints {
        unmocked = EndpointTokenDispatcher(endpoints: endpoints, callbacks: callbacks, next: local)
    }
    var engine = ExecutionEngine(
        clock: clock, dispatcher: configuration.frontDispatcher(unmocked), observer: persistent, objectStore: configuration.objectStore)
    // No API reads an EXPRESS execution's history (AWS keeps none): it is counted, not kept.
    engine.keptHistories = .standardOnly
    // An execution started as `arn#case` of a served scenario reads and writes that case's own S3 data.
    let selections = configuration.mockSelections
    engine.objectStoreForExecution = { executionArn in
        selections.testCase(executionArn: executionArn)?.s3Objects.map { InMemoryObjectStore(objects: $0, now: { clock.now() }) }
    }
    nested.bind(engine)
    persistent?.restoreTaskCallbacks(into: callbacks)
    persistent?.resumeRunning(with: engine, mockConfig: configuration.mockConfig, selections: configuration.mockSelections)
    if persistent != nil { StateMachineDeletion.continuePending(in: store) }
    let services = ServerServices(configuration: configuration, store: store, engine: engine, logger: logger)
    try services.preload(configuration.stateMachines)
    let awsProtocol = AWSJSONProtocol(services: services)

    let router = Router()
    router.add(middleware: RequestIdMiddleware())
    router.post("/") { request, context in
        try await awsProtocol.respond(to: request, context: context)
    }
    router.get("/health") { _, _ in
        AWSJSONResponse.make(body: ["status": "ok", "service": "StepLocal"])
    }
    ConsoleRoutes(services: services).register(on: router)
    let application = Application(
        router: router,
        server: .guardedHTTP1(configuration.connectionLimits),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "StepLocal"),
        logger: logger)
    return (application, services)
}

/// The application as a plain `Service`, for the CLI's `ServiceGroup` (which owns start-up and
/// graceful shutdown on SIGTERM/SIGINT) without the CLI importing Hummingbird; see ``StepLocalService``.
public func buildServerService(configuration: ServerConfiguration, logger: Logger) throws(AWSServiceError) -> any Service {
    let (application, services) = try makeApplication(configuration: configuration, logger: logger)
    return StepLocalService(application: application, services: services)
}
