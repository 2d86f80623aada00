import Foundation
public import StepLocalEngine
public import StepLocalIntegrations
import StepLocalJSON

/// Runs scenario cases in-process, several at once, each on its own virtual clock (unless the
/// case asks for the real one), with its mocks in front of the local task-token and activity
/// waits, those in front of the real endpoints the case may call, and those in front of
/// `fallback`. A one-year Wait costs nothing, so a thousand cases take about as long as their
/// state transitions.
public struct ScenarioRunner: Sendable {
    public var fallback: any TaskDispatcher
    public var concurrency: Int
    /// Whether each case's result says what it exercised (`steplocal test --coverage`). Off, the
    /// engine's coverage hooks are not even bound.
    public var collectsCoverage = false
    /// Where Task states that no mock answers are called for real (`steplocal test --endpoint`,
    /// the environment); each case's own `endpoints:` are laid over it, service by service. Empty
    /// (the default) and with no `endpoints:` in a case, nothing leaves the process.
    public var endpoints = EndpointConfiguration()
    /// How real calls are sent; tests answer them from memory.
    public var transport: any EndpointTransport = AsyncHTTPClientTransport()

    public init(fallback: any TaskDispatcher = UnmockedTaskDispatcher(), concurrency: Int = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)) {
        self.fallback = fallback
        self.concurrency = max(1, concurrency)
    }

    /// The cases to run: all of them, or those whose "scenario › case" name or file contains
    /// `filter` (case-insensitive).
    public static func select(_ scenarios: [Scenario], filter: String?) -> [(Scenario, ScenarioCase)] {
        let needle = filter?.lowercased()
        return scenarios.flatMap { scenario in
            scenario.cases.compactMap { item -> (Scenario, ScenarioCase)? in
                guard let needle, !needle.isEmpty else { return (scenario, item) }
                let haystack = "\(scenario.name) › \(item.name) \(scenario.file)".lowercased()
                return haystack.contains(needle) ? (scenario, item) : nil
            }
        }
    }

    /// Runs every selected case; `progress` is called as each one finishes (in completion
    /// order); the results come back in the order the cases were given.
    public func run(_ cases: [(Scenario, ScenarioCase)], progress: @escaping @Sendable (CaseResult) -> Void = { _ in }) async -> [CaseResult] {
        var results = [CaseResult?](repeating: nil, count: cases.count)
        await withTaskGroup(of: (Int, CaseResult).self) { group in
            var next = 0
            func addNext() {
                guard next < cases.count else { return }
                let index = next
                let (scenario, item) = cases[index]
                next += 1
                group.addTask { (index, await self.run(item, of: scenario, index: index)) }
            }
            for _ in 0..<min(concurrency, cases.count) { addNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                progress(result)
                addNext()
            }
        }
        return results.compactMap { $0 }
    }

    public func run(_ item: ScenarioCase, of scenario: Scenario, index: Int = 0) async -> CaseResult {
        let started = ContinuousClock.now
        let clock: any ExecutionClock = item.clock == .virtual ? VirtualClock() : SystemClock()
        // Unmocked token and activity tasks really wait, on the case's clock; with no API to call
        // back, only their HeartbeatSeconds/TimeoutSeconds end them (at once on the virtual clock).
        // So a token task's real call is never made here: nothing could send its token back.
        let local = LocalTaskDispatcher(callbacks: CallbackRegistry(clock: clock, callbacksCanArrive: false), fallback: unmocked(item))
        let recorder = CallRecorder(next: MockDispatcher(testCase: item.mocks, fallback: local))
        let executionName = "case-\(index)"
        let machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:\(scenario.stateMachineName)"
        let kind = scenario.type == .express ? "express" : "execution"
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:\(kind):\(scenario.stateMachineName):\(executionName)",
            name: executionName, stateMachineArn: machineArn, stateMachineName: scenario.stateMachineName,
            roleArn: "arn:aws:iam::123456789012:role/StepLocalScenario", startTime: clock.now())
        // The case's S3 data, in memory: what its Distributed Maps read and write.
        let objects = item.s3.map { InMemoryObjectStore(objects: $0, now: { clock.now() }) }
        let engine = ExecutionEngine(clock: clock, dispatcher: recorder, objectStore: objects)
        let coverage = collectsCoverage ? CoverageRecorder() : nil
        let snapshot = await StateInspection.withInspector(coverage) {
            await engine.run(
                scenario.definition, input: item.input, identity: identity,
                options: RunOptions(variables: item.variables, contextOverrides: item.context, startAt: item.startAt))
        }
        let failures = ExpectationChecker.failures(item.expectations, snapshot: snapshot, calls: recorder.recorded, objects: objects)
        let elapsed = ContinuousClock.now - started
        var result = CaseResult(
            file: scenario.file, scenario: scenario.name, name: item.name, failures: failures,
            durationSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        result.covered = coverage?.covered(history: snapshot.history)
        return result
    }

    /// What answers the case's unmocked Tasks that are not token waits or activities: the real
    /// endpoint of their service when the case or the runner names one (it times its call out
    /// itself, in real seconds, so it works on the virtual clock too), else `fallback`.
    private func unmocked(_ item: ScenarioCase) -> any TaskDispatcher {
        let configuration = endpoints.overlaid(with: item.endpoints)
        guard !configuration.isEmpty else { return fallback }
        return EndpointTaskDispatcher(configuration: configuration, transport: transport, fallback: fallback)
    }
}
