import Foundation
import StepLocalIntegrations
import StepLocalJSON
import StepLocalScenarios
import Synchronization
import Testing

/// The mixed case (issue 13): a scenario's `endpoints:` section, keyed as `--endpoint` is, and a
/// runner that sends the Tasks a case does not mock to those endpoints, behind every mock.
@Suite("Scenario endpoints")
struct ScenarioEndpointsTests {
    /// A mocked Lambda call, then a DynamoDB putItem that no mock answers.
    static let definition = """
        definition:
          StartAt: Enrich
          States:
            Enrich: { Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: enrich }, ResultPath: null, Next: Put }
            Put:
              Type: Task
              Resource: "arn:aws:states:::dynamodb:putItem"
              Parameters: { TableName: Items, Item: { id: { S: "1" } } }
              TimeoutSeconds: 5
              ResultPath: $.put
              End: true

        """

    static let mockedEnrich = "    mocks: { Enrich: { return: { StatusCode: 200, Payload: {} } } }\n"
    /// What the endpoint's answer puts in the output (the mocked putItem answers without it).
    static let realAnswer = "{ put: { SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: req-1 } } }"

    // MARK: Loading

    @Test("endpoints: at the top applies to every case; a case's own win service by service; names are --endpoint's")
    func loaded() throws {
        let scenario = try ScenarioLoader.parse(
            Self.definition + """
                endpoints:
                  DynamoDB: http://localhost:8000
                  stepfunctions: http://localhost:8083/base/
                cases:
                  - name: file's
                  - name: own
                    endpoints: { dynamodb: "https://db.example:9443", secretsmanager: "http://127.0.0.1:4566" }
                """, file: "s.yaml")
        let shared = scenario.cases[0].endpoints
        #expect(shared.keys.sorted() == ["dynamodb", "states"])
        #expect(shared["dynamodb"]?.url == "http://localhost:8000")
        #expect(shared["dynamodb"]?.port == 8000)
        #expect(shared["states"]?.basePath == "/base")
        let own = scenario.cases[1].endpoints
        #expect(own.keys.sorted() == ["dynamodb", "secretsmanager", "states"])
        #expect(own["dynamodb"]?.scheme == "https")
        #expect(own["dynamodb"]?.hostHeader == "db.example:9443")
        #expect(own["states"]?.url == "http://localhost:8083/base/")
    }

    @Test("Bad endpoints are refused naming file, location and line", arguments: [
        ("endpoints: { dynamo: http://localhost:8000 }\ncases: []\n", "/endpoints/dynamo", "unknown service 'dynamo'; known services: lambda, sqs"),
        ("endpoints: { dynamodb: ftp://localhost:8000 }\ncases: []\n", "/endpoints/dynamodb", "'ftp://localhost:8000' is not an http:// or https:// URL"),
        ("endpoints: { dynamodb: localhost:8000 }\ncases: []\n", "/endpoints/dynamodb", "is not an http:// or https:// URL with a host"),
        ("endpoints: { sqs: 8000 }\ncases: []\n", "/endpoints/sqs", "expected a string, found number"),
        ("endpoints: [dynamodb]\ncases: []\n", "/endpoints", "expected an object, found array"),
        ("endpoints: { sfn: http://a:1, stepfunctions: http://b:2 }\ncases: []\n", "/endpoints/stepfunctions", "names the same service as 'sfn'"),
        ("cases:\n  - name: x\n    endpoints:\n      lambda: http://\n", "/cases/0/endpoints/lambda", "'http://' is not an http:// or https:// URL"),
        ("cases:\n  - name: x\n    endpoints: { s4: http://localhost:1 }\n", "/cases/0/endpoints/s4", "unknown service 's4'"),
    ])
    func refused(text: String, location: String, message: String) {
        ScenarioLoaderTests.expectRefused(Self.definition + text, at: location, saying: message)
    }

    // MARK: Running

    /// DynamoDB as far as putItem goes: keeps the URL of every request, answers after `delay`.
    final class RecordingDynamoDB: EndpointTransport {
        let urls = Mutex<[String]>([])
        let delay: Duration

        init(delay: Duration = .zero) { self.delay = delay }

        func send(_ request: PreparedHTTPRequest, timeout: Duration) async throws -> ServiceHTTPResponse {
            urls.withLock { $0.append(request.url) }
            try await Task.sleep(for: delay)
            return ServiceHTTPResponse(status: 200, headers: [("x-amzn-RequestId", "req-1")], body: Array("{}".utf8))
        }

        var called: [String] { urls.withLock { $0 } }
    }

    static func run(_ cases: String, runner: ScenarioRunner) async throws -> [CaseResult] {
        let scenario = try ScenarioLoader.parse(Self.definition + cases, file: "mixed.yaml")
        return await runner.run(ScenarioRunner.select([scenario], filter: nil))
    }

    @Test("A mocked state uses its mock; the unmocked one calls the scenario's endpoint, even on the virtual clock with a slow answer")
    func mixed() async throws {
        // Slower than the engine's grace period: only a call that times itself out survives it.
        let transport = RecordingDynamoDB(delay: .milliseconds(200))
        var runner = ScenarioRunner()
        runner.transport = transport
        runner.collectsCoverage = true
        let results = try await Self.run(
            "endpoints: { dynamodb: http://127.0.0.1:8000 }\ncases:\n  - name: mixed\n" + Self.mockedEnrich
                + "    expect: { outputContains: \(Self.realAnswer), calls: { Enrich: 1, Put: 1 }, called: { Put: [{ TableName: Items }] } }\n",
            runner: runner)
        let result = try #require(results.first)
        #expect(result.passed, "\(result.failures)")
        #expect(transport.called == ["http://127.0.0.1:8000/"])
        #expect(result.covered?.contains(CoverageItem(kind: .state, state: "Put")) == true)
    }

    @Test("The runner's endpoints (--endpoint, the environment) serve a scenario without its own; the scenario's win over them")
    func precedence() async throws {
        let transport = RecordingDynamoDB()
        var runner = ScenarioRunner()
        runner.transport = transport
        runner.endpoints = try EndpointConfiguration.resolve(flags: ["dynamodb=http://127.0.0.1:1111"], environment: [:], region: "us-east-1")
        let cases = "  - name: x\n" + Self.mockedEnrich + "    expect: { outputContains: \(Self.realAnswer) }\n"
        let fromRunner = try await Self.run("cases:\n" + cases, runner: runner)
        #expect(fromRunner.first?.passed == true, "\(fromRunner.first?.failures ?? [])")
        let fromFile = try await Self.run("endpoints: { dynamodb: http://127.0.0.1:2222 }\ncases:\n" + cases, runner: runner)
        #expect(fromFile.first?.passed == true, "\(fromFile.first?.failures ?? [])")
        #expect(transport.called == ["http://127.0.0.1:1111/", "http://127.0.0.1:2222/"])
    }

    @Test("A mock wins over an endpoint, and a service no endpoint names still fails as unmocked")
    func mockFirstUnmockedLast() async throws {
        let transport = RecordingDynamoDB()
        var runner = ScenarioRunner()
        runner.transport = transport
        let results = try await Self.run(
            """
            endpoints: { dynamodb: http://127.0.0.1:8000 }
            cases:
              - name: both mocked
                mocks: { Enrich: { return: { StatusCode: 200, Payload: {} } }, Put: { return: { ConsumedCapacity: { TableName: Items } } } }
                expect: { output: { put: { ConsumedCapacity: { TableName: Items } } } }
              - name: lambda has no endpoint
                expect: { error: States.TaskFailed, states: [Enrich] }

            """, runner: runner)
        #expect(results.count == 2)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
        #expect(transport.called.isEmpty)
    }
}
