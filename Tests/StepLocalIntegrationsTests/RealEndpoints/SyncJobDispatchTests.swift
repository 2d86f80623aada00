import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Synchronization
import Testing

/// `.sync` jobs run by the endpoint dispatcher against an endpoint that answers from memory: the
/// polling loop, TimeoutSeconds, and the stop call sent when the execution is stopped.
@Suite("Sync jobs at an endpoint")
struct SyncJobDispatchTests {
    typealias MemoryTransport = EndpointTaskDispatcherTests.MemoryTransport

    static func dispatcher(_ transport: MemoryTransport, services: [String] = ["ecs", "states"]) throws -> EndpointTaskDispatcher {
        var dispatcher = try EndpointTaskDispatcherTests.dispatcher(transport, services: services)
        dispatcher.firstPollInterval = .milliseconds(1)
        dispatcher.longestPollInterval = .milliseconds(5)
        return dispatcher
    }

    static func target(_ request: PreparedHTTPRequest) -> String {
        request.headers.first { $0.name == "X-Amz-Target" }?.value.split(separator: ".").last.map(String.init) ?? ""
    }

    static func targets(_ transport: MemoryTransport) -> [String] { transport.sent.withLock { $0.map(target) } }

    static func ecsTask(_ status: String) -> ServiceHTTPResponse {
        ECSCallsTests.answer(
            #"{"tasks":[{"taskArn":"arn:t","clusterArn":"arn:c","lastStatus":"\#(status)","containers":[{"name":"main","exitCode":0}]}],"failures":[]}"#)
    }

    static let runTaskSync = CallbackHarness.taskMachine(
        "arn:aws:states:::ecs:runTask.sync", #""Parameters":{"Cluster":"c","TaskDefinition":"job"},"#)

    @Test("ecs:runTask.sync polls DescribeTasks until the task is STOPPED, recording RunTask's answer as TaskSubmitted")
    func pollsUntilStopped() async throws {
        let describes = Mutex(0)
        let transport = MemoryTransport { request in
            guard Self.target(request) == "DescribeTasks" else { return Self.ecsTask("PROVISIONING") }
            return Self.ecsTask(describes.withLock { $0 += 1; return $0 } < 3 ? "RUNNING" : "STOPPED")
        }
        let snapshot = try await EndpointTaskDispatcherTests.run(Self.runTaskSync, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["LastStatus"] == "STOPPED")
        #expect(snapshot.output?["SdkHttpMetadata"] == nil)
        #expect(Self.targets(transport) == ["RunTask", "DescribeTasks", "DescribeTasks", "DescribeTasks"])
        let submitted = try #require(snapshot.event("TaskSubmitted")?.details["output"]?.stringValue)
        #expect(try JSONValue(parsing: submitted)["Tasks"]?.arrayValue?.first?["LastStatus"] == "PROVISIONING")
    }

    @Test("A mock for the state wins over the endpoint: no task is started")
    func mockWins() async throws {
        let transport = MemoryTransport { _ in Self.ecsTask("STOPPED") }
        let mocks = MockTestCase(name: "Mocked", responses: ["T": MockedResponse(name: "Stopped", consecutive: [.return(["LastStatus": "STOPPED"])])])
        let snapshot = try await EndpointTaskDispatcherTests.run(
            Self.runTaskSync, dispatcher: MockDispatcher(testCase: mocks, fallback: try Self.dispatcher(transport)))
        #expect(snapshot.output == ["LastStatus": "STOPPED"])
        #expect(transport.count == 0)
    }

    @Test("Stopping the execution stops the ECS task it waits for (StopTask)")
    func stopExecutionStopsTheTask() async throws {
        let transport = MemoryTransport { _ in Self.ecsTask("RUNNING") }
        let clock = SystemClock(waitTimeScale: 1)
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:s", name: "s",
            stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M", stateMachineName: "M",
            roleArn: "arn:aws:iam::123456789012:role/R", startTime: clock.now())
        let execution = ExecutionEngine(clock: clock, dispatcher: try Self.dispatcher(transport))
            .start(try StateMachineDefinition.load(Self.runTaskSync), input: [:], identity: identity)
        for _ in 0..<500 where !Self.targets(transport).contains("DescribeTasks") { try await Task.sleep(for: .milliseconds(10)) }
        _ = execution.stop(error: nil, cause: nil)
        #expect(await execution.waitUntilFinished().status == .aborted)
        for _ in 0..<500 where !Self.targets(transport).contains("StopTask") { try await Task.sleep(for: .milliseconds(10)) }
        #expect(Self.targets(transport).last == "StopTask")
    }

    @Test("When time passes instantly a branch waiting for an ECS job does not hold back its sibling's Wait: the job runs outside the execution")
    func jobDoesNotHoldSiblings() async throws {
        let jobEnded = Atomic(false)
        let transport = MemoryTransport { request in
            guard Self.target(request) == "DescribeTasks" else { return Self.ecsTask("PROVISIONING") }
            return Self.ecsTask(jobEnded.load(ordering: .relaxed) ? "STOPPED" : "RUNNING")
        }
        let definition = #"{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":["#
            + #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync","#
            + #""Parameters":{"Cluster":"c","TaskDefinition":"job"},"End":true}}},"#
            + #"{"StartAt":"Short","States":{"Short":{"Type":"Wait","Seconds":10,"Next":"AfterShort"},"AfterShort":{"Type":"Pass","End":true}}}]}}}"#
        let clock = VirtualClock()
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:j", name: "j",
            stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M", stateMachineName: "M",
            roleArn: "arn:aws:iam::123456789012:role/R", startTime: clock.now())
        let execution = ExecutionEngine(clock: clock, dispatcher: try Self.dispatcher(transport))
            .start(try StateMachineDefinition.load(definition), input: [:], identity: identity)
        var siblingEnded = false
        for _ in 0..<500 where !siblingEnded {
            siblingEnded = execution.snapshot().history.contains { $0.type == "PassStateExited" }
            if !siblingEnded { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(siblingEnded, "the Wait beside the job was held until the job ended")
        jobEnded.store(true, ordering: .relaxed)
        #expect(await execution.waitUntilFinished().status == .succeeded)
    }

    @Test("TimeoutSeconds bounds the wait when time passes instantly: States.Timeout, and the task is stopped")
    func timeoutOnInstantClock() async throws {
        let transport = MemoryTransport { _ in Self.ecsTask("RUNNING") }
        let definition = CallbackHarness.taskMachine(
            "arn:aws:states:::ecs:runTask.sync", #""Parameters":{"Cluster":"c","TaskDefinition":"job"},"TimeoutSeconds":1,"#)
        let started = ContinuousClock.now
        let snapshot = try await EndpointTaskDispatcherTests.run(definition, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.error == "States.Timeout")
        #expect(snapshot.eventTypes.contains("TaskTimedOut"))
        // A hang guard, not a speed test: without the timeout the task would poll forever. (Other
        // suites share the machine's two cores; 5 s was once too little on a busy run.)
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(Self.targets(transport).last == "StopTask")
    }

    @Test("states:startExecution.sync:2 starts the child at the endpoint and returns its output as JSON")
    func nestedSync2() async throws {
        let describes = Mutex(0)
        let transport = MemoryTransport { request in
            guard Self.target(request) == "DescribeExecution" else { return StepFunctionsCallsTests.started }
            if describes.withLock({ $0 += 1; return $0 }) < 2 {
                return ECSCallsTests.answer(#"{"executionArn":"arn:x","stateMachineArn":"arn:m","status":"RUNNING","startDate":1700000000.5}"#)
            }
            return StepFunctionsCallsTests.succeeded
        }
        let definition = CallbackHarness.taskMachine(
            "arn:aws:states:::states:startExecution.sync:2", #""Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:Child"},"#)
        let snapshot = try await EndpointTaskDispatcherTests.run(definition, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["Output"] == ["m": [2]])
        #expect(Self.targets(transport) == ["StartExecution", "DescribeExecution", "DescribeExecution"])
        let authorization = transport.sent.withLock { $0.first?.headers.first { $0.name == "Authorization" }?.value }
        #expect(authorization?.contains("/us-east-1/states/aws4_request") == true)
    }

    @Test("Nested executions leave only for an endpoint named for Step Functions, never for a global AWS_ENDPOINT_URL")
    func nestedNeedsItsOwnEndpoint() throws {
        let global = try EndpointConfiguration.Endpoint(url: "http://127.0.0.1:4566", origin: "AWS_ENDPOINT_URL")
        var configuration = EndpointConfiguration(endpoints: ["states": global, "ecs": global], region: "us-east-1")
        configuration.defaultEndpoint = global
        let viaGlobal = EndpointTaskDispatcher(configuration: configuration)
        let nested = try #require(TaskResource("arn:aws:states:::states:startExecution.sync"))
        #expect(!viaGlobal.runsNestedExecutionsRemotely)
        #expect(!viaGlobal.callsOut(nested))
        #expect(viaGlobal.callsOut(try #require(TaskResource("arn:aws:states:::ecs:runTask.sync"))))
        let own = try EndpointConfiguration.Endpoint(url: "http://127.0.0.1:8083", origin: "STEP_FUNCTIONS_ENDPOINT")
        configuration = EndpointConfiguration(endpoints: ["states": own], region: "us-east-1")
        configuration.defaultEndpoint = global
        let viaOwn = EndpointTaskDispatcher(configuration: configuration)
        #expect(viaOwn.runsNestedExecutionsRemotely && viaOwn.callsOut(nested))
    }
}
