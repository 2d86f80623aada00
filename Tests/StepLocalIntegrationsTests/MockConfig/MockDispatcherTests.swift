import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

@Suite("Mock dispatcher")
struct MockDispatcherTests {
    static func awsExample(_ testCase: String) throws -> MockTestCase {
        let config = try MockConfigLoader.load(path: MockConfigFixtures.path("mocks/aws-docs-example/MockConfigFile.json"))
        return try #require(config.testCase(stateMachine: "LambdaSQSIntegration", name: testCase))
    }

    @Test("HappyPath of AWS's example runs to success with the mocked SQS answer as output")
    func happyPath() async throws {
        let snapshot = try await MockConfigFixtures.run(
            definitionAt: "mocks/aws-docs-example/LambdaSQSIntegration.asl.json", dispatcher: MockDispatcher(testCase: Self.awsExample("HappyPath")))
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["MessageId"] == "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51")
    }

    @Test("RetryPath: three mocked failures consume invocations 0-2 through Retry, the fourth succeeds")
    func retryPath() async throws {
        let dispatcher = MockDispatcher(testCase: try Self.awsExample("RetryPath"))
        let snapshot = try await MockConfigFixtures.run(definitionAt: "mocks/aws-docs-example/LambdaSQSIntegration.asl.json", dispatcher: dispatcher)
        #expect(snapshot.status == .succeeded)
        #expect(dispatcher.invocationCount(executionArn: snapshot.identity.executionArn, stateName: "LambdaState") == 4)
        let failures = snapshot.history.filter { $0.type == "TaskFailed" }.compactMap { $0.details["error"]?.stringValue }
        #expect(failures == ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"])
    }

    @Test("HybridPath: an unmocked state goes to the fallback, which fails loudly naming the state")
    func hybridPathFallsBack() async throws {
        let snapshot = try await MockConfigFixtures.run(
            definitionAt: "mocks/aws-docs-example/LambdaSQSIntegration.asl.json", dispatcher: MockDispatcher(testCase: Self.awsExample("HybridPath")))
        #expect(snapshot.status == .failed)
        #expect(snapshot.cause?.contains("SQSState") == true)
    }

    @Test("Invocations are counted per execution: a second execution starts again at 0")
    func countsPerExecution() async throws {
        let response = MockedResponse(name: "R", consecutive: [.return("first"), .return("second")])
        let dispatcher = MockDispatcher(testCase: MockTestCase(name: "C", responses: ["A": response]))
        #expect(try await dispatcher.dispatch(MockConfigFixtures.request("A", execution: "e1")) == "first")
        #expect(try await dispatcher.dispatch(MockConfigFixtures.request("A", execution: "e1")) == "second")
        #expect(try await dispatcher.dispatch(MockConfigFixtures.request("A", execution: "e2")) == "first")
    }

    @Test("An invocation with no mocked answer fails with States.Runtime naming state, response and invocation")
    func exhausted() async throws {
        let response = MockedResponse(name: "Once", consecutive: [.return(1)])
        let dispatcher = MockDispatcher(testCase: MockTestCase(name: "C", responses: ["A": response]))
        _ = try await dispatcher.dispatch(MockConfigFixtures.request("A"))
        let error = await #expect(throws: StatesError.self) { try await dispatcher.dispatch(MockConfigFixtures.request("A")) }
        #expect(error?.error == "States.Runtime")
        #expect(error?.cause?.contains("'Once'") == true)
        #expect(error?.cause?.contains("invocation 1") == true)
    }

    @Test("Mocked .waitForTaskToken and .sync tasks answer at once with the mocked response")
    func callbackPatternsAnswerAtOnce() async throws {
        let response = MockedResponse(name: "R", entries: [.init(range: InvocationRange(0, 9), answer: .return(["approved": true]))])
        let dispatcher = MockDispatcher(testCase: MockTestCase(name: "C", responses: ["Wait": response, "Run": response]))
        var token = MockConfigFixtures.request("Wait", resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken")
        token.taskToken = "token"
        #expect(try await dispatcher.dispatch(token) == ["approved": true])
        #expect(try await dispatcher.dispatch(MockConfigFixtures.request("Run", resource: "arn:aws:states:::ecs:runTask.sync")) == ["approved": true])
    }
}
