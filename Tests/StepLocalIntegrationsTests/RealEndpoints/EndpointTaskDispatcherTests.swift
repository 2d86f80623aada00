import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Synchronization
import Testing

/// The dispatcher against an endpoint that answers from memory: what it sends, how answers and
/// failures reach Retry and Catch, and its place behind mocks and in front of the token wait.
@Suite("Endpoint task dispatcher")
struct EndpointTaskDispatcherTests {
    /// Answers every request with `answer` (or throws), and keeps what was sent.
    final class MemoryTransport: EndpointTransport {
        let sent = Mutex<[PreparedHTTPRequest]>([])
        let answer: @Sendable (PreparedHTTPRequest) async throws -> ServiceHTTPResponse

        init(_ answer: @escaping @Sendable (PreparedHTTPRequest) async throws -> ServiceHTTPResponse) { self.answer = answer }

        func send(_ request: PreparedHTTPRequest, timeout: Duration) async throws -> ServiceHTTPResponse {
            sent.withLock { $0.append(request) }
            return try await answer(request)
        }

        var count: Int { sent.withLock { $0.count } }
    }

    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    static func dispatcher(_ transport: MemoryTransport, services: [String] = ["dynamodb", "sqs", "lambda"]) throws -> EndpointTaskDispatcher {
        var endpoints: [String: EndpointConfiguration.Endpoint] = [:]
        for service in services { endpoints[service] = try EndpointConfiguration.Endpoint(url: "http://127.0.0.1:4566", origin: "test") }
        return EndpointTaskDispatcher(
            configuration: EndpointConfiguration(endpoints: endpoints, region: "us-east-1"), transport: transport, now: { Self.date })
    }

    static func run(_ definition: String, dispatcher: any TaskDispatcher, clock: any ExecutionClock = VirtualClock()) async throws -> ExecutionSnapshot {
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", name: "e",
            stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M", stateMachineName: "M",
            roleArn: "arn:aws:iam::123456789012:role/R", startTime: clock.now())
        return await ExecutionEngine(clock: clock, dispatcher: dispatcher).run(try StateMachineDefinition.load(definition), input: [:], identity: identity)
    }

    static let putItem = #"""
        {"StartAt":"Put","States":{"Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
          "Parameters":{"TableName":"T","Item":{"id":{"S":"1"}}},
          "Catch":[{"ErrorEquals":["DynamoDB.ConditionalCheckFailedException"],"Next":"Exists"}],"End":true},
          "Exists":{"Type":"Pass","End":true}}}
        """#

    @Test("The call goes to the endpoint signed for the service and region, with the Host it was signed with")
    func signedRequest() async throws {
        let transport = MemoryTransport { _ in ServiceHTTPResponse(status: 200, headers: [("x-amzn-RequestId", "r")], body: Array("{}".utf8)) }
        let snapshot = try await Self.run(Self.putItem, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["SdkResponseMetadata"] == ["RequestId": "r"])
        let sent = try #require(transport.sent.withLock { $0.first })
        #expect(sent.url == "http://127.0.0.1:4566/")
        #expect(sent.method == "POST")
        func header(_ name: String) -> String? { sent.headers.first { $0.name == name }?.value }
        #expect(header("Host") == "127.0.0.1:4566")
        #expect(header("X-Amz-Target") == "DynamoDB_20120810.PutItem")
        #expect(header("X-Amz-Date") == "20150830T123600Z")
        #expect(
            header("Authorization")?.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=steplocal/20150830/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=")
                == true)
    }

    @Test("A failed condition reaches Catch as DynamoDB.ConditionalCheckFailedException")
    func conditionReachesCatch() async throws {
        let transport = MemoryTransport { _ in
            ServiceHTTPResponse(
                status: 400, body: Array(#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#.utf8))
        }
        let snapshot = try await Self.run(Self.putItem, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["Error"] == "DynamoDB.ConditionalCheckFailedException")
    }

    @Test("An endpoint that cannot be reached is <Service>.SdkClientException, retried only as Retry says")
    func unreachable() async throws {
        struct Refused: Error {}
        let transport = MemoryTransport { _ in throw Refused() }
        let definition = #"""
            {"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
              "Parameters":{"QueueUrl":"q","MessageBody":"m"},
              "Retry":[{"ErrorEquals":["SQS.SdkClientException"],"MaxAttempts":2,"IntervalSeconds":1}],"End":true}}}
            """#
        let snapshot = try await Self.run(definition, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "SQS.SdkClientException")
        #expect(snapshot.cause?.hasPrefix("Unable to execute HTTP request: ") == true)
        #expect(transport.count == 3)
    }

    @Test("A service with no endpoint still fails as an unmocked Task, and nothing is called")
    func unconfiguredFallsBack() async throws {
        let transport = MemoryTransport { _ in ServiceHTTPResponse(status: 200) }
        let definition = CallbackHarness.taskMachine("arn:aws:states:::sns:publish", #""Parameters":{"TopicArn":"t","Message":"m"},"#)
        let snapshot = try await Self.run(definition, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.TaskFailed")
        #expect(snapshot.cause?.contains("no mock is configured") == true)
        #expect(transport.count == 0)
    }

    @Test("A mock for the state wins over a configured endpoint")
    func mockWins() async throws {
        let transport = MemoryTransport { _ in ServiceHTTPResponse(status: 200, body: Array("{}".utf8)) }
        let mocks = MockTestCase(name: "Mocked", responses: ["Put": MockedResponse(name: "PutOK", consecutive: [.return(["mocked": true])])])
        let snapshot = try await Self.run(Self.putItem, dispatcher: MockDispatcher(testCase: mocks, fallback: try Self.dispatcher(transport)))
        #expect(snapshot.output == ["mocked": true])
        #expect(transport.count == 0)
    }

    @Test("TimeoutSeconds is enforced on a real call: the engine times it out and the call is cancelled")
    func timeoutOnRealClock() async throws {
        let transport = MemoryTransport { _ in
            try await Task.sleep(for: .seconds(30))
            return ServiceHTTPResponse(status: 200)
        }
        let definition = CallbackHarness.taskMachine(
            "arn:aws:states:::lambda:invoke", #""Parameters":{"FunctionName":"slow"},"TimeoutSeconds":1,"#)
        let started = ContinuousClock.now
        let snapshot = try await Self.run(definition, dispatcher: try Self.dispatcher(transport), clock: SystemClock(waitTimeScale: 0.05))
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.Timeout")
        // Less than the 30 s the call takes: the timeout ended it (a hang guard with room for a busy run).
        #expect(ContinuousClock.now - started < .seconds(25))
    }

    @Test("When time passes instantly the call keeps its own timeout: a transport timeout is States.Timeout")
    func timeoutOnInstantClock() async throws {
        let transport = MemoryTransport { _ in throw EndpointTransportError.timedOut }
        let definition = CallbackHarness.taskMachine("arn:aws:states:::lambda:invoke", #""Parameters":{"FunctionName":"f"},"TimeoutSeconds":5,"#)
        let snapshot = try await Self.run(definition, dispatcher: try Self.dispatcher(transport))
        #expect(snapshot.error == "States.Timeout")
        #expect(snapshot.eventTypes.contains("TaskTimedOut"))
    }

    @Test(".waitForTaskToken: the message goes out carrying the token, then the task waits for SendTaskSuccess")
    func tokenCall() async throws {
        let transport = MemoryTransport { _ in
            ServiceHTTPResponse(status: 200, headers: [("x-amzn-RequestId", "r")], body: Array(#"{"MessageId":"m-1","MD5OfMessageBody":"x"}"#.utf8))
        }
        let clock = SystemClock(waitTimeScale: 0.02)
        let callbacks = CallbackRegistry(clock: clock)
        let endpoints = try Self.dispatcher(transport)
        let dispatcher = EndpointTokenDispatcher(
            endpoints: endpoints, callbacks: callbacks, next: LocalTaskDispatcher(callbacks: callbacks, fallback: endpoints))
        let definition = CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters)
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:t", name: "t",
            stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M", stateMachineName: "M",
            roleArn: "arn:aws:iam::123456789012:role/R", startTime: clock.now())
        let execution = ExecutionEngine(clock: clock, dispatcher: dispatcher).start(try StateMachineDefinition.load(definition), input: [:], identity: identity)
        var token: String?
        for _ in 0..<500 where token == nil {
            if let sent = transport.sent.withLock({ $0.first }) {
                let body = try JSONParser.parse(bytes: sent.body)
                token = try JSONParser.parse(#require(body["MessageBody"]?.stringValue))["token"]?.stringValue
            } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let sentToken = try #require(token)
        #expect(callbacks.succeed(token: sentToken, output: ["approved": true]) == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == ["approved": true])
        let submitted = try #require(snapshot.event("TaskSubmitted"))
        #expect(submitted.details["output"]?.stringValue?.contains("m-1") == true)
    }

    @Test(".waitForTaskToken whose call fails fails the task with the service's error, and closes the token")
    func tokenCallFails() async throws {
        let transport = MemoryTransport { _ in
            ServiceHTTPResponse(
                status: 400, headers: [("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")],
                body: Array(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#.utf8))
        }
        let callbacks = CallbackRegistry(clock: VirtualClock())
        let endpoints = try Self.dispatcher(transport)
        let dispatcher = EndpointTokenDispatcher(
            endpoints: endpoints, callbacks: callbacks, next: LocalTaskDispatcher(callbacks: callbacks, fallback: endpoints))
        let snapshot = try await Self.run(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters), dispatcher: dispatcher)
        #expect(snapshot.error == "SQS.QueueDoesNotExistException")
        #expect(!snapshot.eventTypes.contains("TaskSubmitted"))
    }
}
