import HTTPTypes
import Hummingbird
import NIOCore
import StepLocalASL
import StepLocalEngine
import StepLocalGraph
import StepLocalJSON

/// The web console on the API's own port: `GET /` serves one page whose script reads everything
/// through the AWS JSON protocol on `POST /` (the same actions an SDK calls), plus the few things
/// no AWS action answers: a machine's or an execution's graph as SVG, what happened in each state,
/// a live feed of an execution's events (Server-Sent Events) and the served scenario cases.
///
/// Every asset is compiled into the binary (`.embedInCode`), so the console works offline and
/// from a static binary. Only requests addressed to the bound host are answered when it is a
/// loopback address, so a web page elsewhere cannot reach it through DNS rebinding.
struct ConsoleRoutes: Sendable {
    let services: ServerServices

    /// How long a live feed stays quiet before it sends a keep-alive comment.
    static let keepAliveInterval: Duration = .seconds(15)

    func register(on router: Router<some RequestContext>) {
        router.get("/") { request, _ in try self.guarded(request) { Self.asset(PackageResources.index_html, type: "text/html; charset=utf-8") } }
        router.get("/console/console.js") { request, _ in
            try self.guarded(request) { Self.asset(PackageResources.console_js, type: "text/javascript; charset=utf-8") }
        }
        router.get("/console/console.css") { request, _ in
            try self.guarded(request) { Self.asset(PackageResources.console_css, type: "text/css; charset=utf-8") }
        }
        router.get("/console/graph.svg") { request, _ in try self.guarded(request) { try self.graph(request) } }
        router.get("/console/states") { request, _ in try self.guarded(request) { try self.states(request) } }
        router.get("/console/iterations") { request, _ in try self.guarded(request) { try self.iterations(request) } }
        router.get("/console/stream") { request, _ in try self.guarded(request) { try self.stream(request) } }
        router.get("/console/scenarios") { request, _ in try self.guarded(request) { self.scenarios() } }
    }

    // MARK: Answers

    /// `?stateMachineArn=` (any qualified form) draws the definition; `?executionArn=` draws the
    /// definition the execution runs, each state coloured by what happened in it.
    private func graph(_ request: Request) throws(AWSServiceError) -> Response {
        let graph: StateMachineGraph
        var statuses: [String: StateRunStatus] = [:]
        if let executionArn = request.uri.queryParameters.get("executionArn") {
            let record = try services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
                try tables.execution(executionArn)
            }
            graph = StateMachineGraph(definition: record.revision.definition)
            statuses = ExecutionGraphStatus.summaries(events: Self.events(of: record.execution)).mapValues(\.status)
        } else if let machineArn = request.uri.queryParameters.get("stateMachineArn") {
            let resolved = try services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
                try tables.stateMachine(machineArn)
            }
            let revision = resolved.version?.revision ?? resolved.record.revision
            graph = StateMachineGraph(definition: revision.definition)
        } else {
            throw .validationException("The graph needs a stateMachineArn or an executionArn query parameter")
        }
        return Self.text(graph.svg(statuses: statuses), type: "image/svg+xml; charset=utf-8")
    }

    /// What happened in each state of an execution: status, last input and output, variables
    /// assigned, error and cause, attempts.
    private func states(_ request: Request) throws(AWSServiceError) -> Response {
        let arn = try Self.required("executionArn", in: request)
        let record = try services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        let events = Self.events(of: record.execution)
        let summaries: [String: StateRunSummary]
        var body: JSONObject = ["status": .string(record.execution.status.rawValue)]
        if let mapState = request.uri.queryParameters.get("mapState"), let iteration = request.uri.queryParameters.get("iteration") {
            guard let index = Int(iteration) else { throw .validationException("The query parameter 'iteration' must be a number") }
            summaries = ExecutionGraphStatus.summaries(events: events, iteration: index, of: mapState)
            let ids = ExecutionGraphStatus.iterations(of: mapState, events: events).first { $0.index == index }?.eventIds ?? []
            body["eventIds"] = .array(ids.map { .int($0) })
        } else {
            summaries = ExecutionGraphStatus.summaries(events: events)
        }
        body["states"] = .object(JSONObject(uniqueKeysWithValues: summaries.sorted { $0.key < $1.key }.map { ($0.key, Self.json($0.value)) }))
        return AWSJSONResponse.make(body: .object(body))
    }

    /// The iterations of an inline Map state (`?executionArn=&mapState=`): each one's index, status
    /// and event ids, and the states inside the Map that an iteration's statuses colour.
    private func iterations(_ request: Request) throws(AWSServiceError) -> Response {
        let arn = try Self.required("executionArn", in: request)
        let mapState = try Self.required("mapState", in: request)
        let record = try services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        let iterations = ExecutionGraphStatus.iterations(of: mapState, events: Self.events(of: record.execution))
        let inside = ExecutionGraphStatus.processorStates(of: mapState, in: record.revision.definition)
        return AWSJSONResponse.make(body: [
            "iterations": .array(iterations.map { iteration in
                ["index": .int(iteration.index), "status": .string(iteration.status.rawValue), "eventIds": .array(iteration.eventIds.map { .int($0) })]
            }),
            "processorStates": .array(inside.map { .string($0) }),
        ])
    }

    /// A live feed of an execution (`text/event-stream`): one message per change with the events
    /// after `after` (those the page has), the execution's status and each state's status; it ends
    /// once the execution has closed and every event was sent. Each message says after how many
    /// events its own follow (`from`): fewer than the page has when events it had were rewritten
    /// after a restart (a resumed run recorded otherwise where it had gone on before; see
    /// ``HistoryReadMark``), and the page drops its copies from there.
    private func stream(_ request: Request) throws(AWSServiceError) -> Response {
        let arn = try Self.required("executionArn", in: request)
        let record = try services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        let execution = record.execution
        let after = max(0, request.uri.queryParameters.get("after").flatMap { Int($0) } ?? 0)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            // Rewrites this process made before the feed opened count too: the page may have read
            // the events before them (from the server before a restart, or a feed before this one).
            var mark = HistoryReadMark(eventCount: after)
            var status = ExecutionStatus.running
            var waitsVersion = -1
            var sentAny = false
            while !Task.isCancelled {
                let waits = execution.pendingWaits
                let progress = execution.progress(since: mark)
                if !sentAny || progress.readMark != mark || progress.status != status || waits.version != waitsVersion {
                    sentAny = true
                    let from = progress.historyRewrittenAfter ?? min(mark.eventCount, progress.eventCount)
                    mark = progress.readMark
                    status = progress.status
                    waitsVersion = waits.version
                    let allEvents = Self.events(of: execution)
                    let message: JSONValue = [
                        "status": .string(progress.status.rawValue),
                        "eventCount": .int(progress.eventCount),
                        "from": .int(from),
                        "events": .array(progress.newEvents.map { $0.json() }),
                        "states": .object(JSONObject(uniqueKeysWithValues:
                            ExecutionGraphStatus.summaries(events: allEvents).sorted { $0.key < $1.key }
                                .map { ($0.key, .string($0.value.status.rawValue)) })),
                        "waits": .array(progress.status == .running ? waits.waits.map(Self.json) : []),
                    ]
                    try await writer.write(ByteBuffer(string: "data: \(message.serialized())\n\n"))
                    if progress.status != .running {
                        try await writer.write(ByteBuffer(string: "event: closed\ndata: {}\n\n"))
                        break
                    }
                    continue
                }
                await execution.waitForChange(after: mark, waitsVersion: waitsVersion, status: status, timeout: Self.keepAliveInterval)
                if execution.readMark == mark, execution.status == status, execution.pendingWaits.version == waitsVersion {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// A thread's wait as the page shows it: times in seconds since 1970, as the API's are.
    static func json(_ wait: PendingWait) -> JSONValue {
        var object: JSONObject = ["state": .string(wait.stateName), "since": .double(wait.since.secondsSince1970)]
        if !wait.iterations.isEmpty { object["iterations"] = .array(wait.iterations.map { .int($0) }) }
        switch wait.kind {
        case .wait: object["kind"] = "wait"
        case .retry(let attempt):
            object["kind"] = "retry"
            object["attempt"] = .int(attempt)
        case .task(let pattern):
            object["kind"] = "task"
            object["pattern"] = .string(pattern.rawValue)
        case .mapRun(let arn):
            object["kind"] = "mapRun"
            object["mapRunArn"] = .string(arn)
        case .executionTimeout:
            object["kind"] = "executionTimeout"
        }
        if let until = wait.until { object["until"] = .double(until.secondsSince1970) }
        if let heartbeat = wait.heartbeatSeconds { object["heartbeatSeconds"] = .int(heartbeat) }
        if let due = wait.heartbeatDue { object["heartbeatDue"] = .double(due.secondsSince1970) }
        return .object(object)
    }

    /// The test cases `serve --scenarios` and mock configs serve, with the executions started for each.
    private func scenarios() -> Response {
        let config = services.configuration.mockConfig
        let executions = (try? services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            tables.executions.values.filter { $0.mockTestCase != nil }
        }) ?? []
        var machines: [JSONValue] = []
        for machine in config.stateMachines.keys.sorted() {
            var cases: [JSONValue] = []
            for name in (config.stateMachines[machine] ?? [:]).keys.sorted() {
                let started = executions
                    .filter { $0.stateMachineName == machine && $0.mockTestCase == name }
                    .sorted { $0.sequence < $1.sequence }
                    .map { record -> JSONValue in
                        ["executionArn": .string(record.arn), "name": .string(record.name), "status": .string(record.execution.status.rawValue)]
                    }
                cases.append(["name": .string(name), "executions": .array(started)])
            }
            machines.append(["stateMachineName": .string(machine), "cases": .array(cases)])
        }
        return AWSJSONResponse.make(body: ["stateMachines": .array(machines)])
    }

    // MARK: Helpers

    /// Answers only requests addressed to this server: with a loopback bind address the `Host`
    /// header must name a loopback host too (a rebinding page sends its own name).
    private func guarded(_ request: Request, _ answer: () throws -> Response) throws -> Response {
        guard Self.accepts(host: request.headers[HTTPField.Name("Host")!] ?? request.head.authority, boundTo: services.configuration.host) else {
            return AWSJSONResponse.make(
                status: .forbidden,
                body: [
                    "__type": "AccessDeniedException",
                    "message": .string("The StepLocal console answers only requests addressed to \(services.configuration.host)"),
                ])
        }
        do {
            return try answer()
        } catch let error as AWSServiceError {
            return AWSJSONResponse.make(status: error.status, body: error.body)
        }
    }

    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    /// Whether a request with this `Host` may reach a server bound to `boundHost`.
    static func accepts(host: String?, boundTo boundHost: String) -> Bool {
        guard loopbackHosts.contains(boundHost) else { return true }
        guard let host else { return false }
        var name = Substring(host)
        if name.hasPrefix("[") {
            name = name.prefix(through: name.firstIndex(of: "]") ?? name.index(before: name.endIndex))
        } else if let colon = name.lastIndex(of: ":") {
            name = name[..<colon]
        }
        return loopbackHosts.contains(name.lowercased())
    }

    private static func required(_ name: String, in request: Request) throws(AWSServiceError) -> String {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else {
            throw .validationException("The query parameter '\(name)' is required")
        }
        return value
    }

    private static func events(of execution: Execution) -> [JSONValue] {
        execution.snapshot().history.map { $0.json() }
    }

    private static func json(_ summary: StateRunSummary) -> JSONValue {
        var object: JSONObject = ["status": .string(summary.status.rawValue), "attempts": .int(summary.attempts)]
        if let input = summary.input { object["input"] = input }
        if let output = summary.output { object["output"] = output }
        if let variables = summary.assignedVariables { object["assignedVariables"] = variables }
        if let error = summary.error { object["error"] = .string(error) }
        if let cause = summary.cause { object["cause"] = .string(cause) }
        object["enteredEventIds"] = .array(summary.enteredEventIds.map { .int($0) })
        return .object(object)
    }

    private static func asset(_ bytes: [UInt8], type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentLength] = String(bytes.count)
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func text(_ text: String, type: String) -> Response {
        asset(Array(text.utf8), type: type)
    }
}
