import Foundation
import StepLocalIntegrations
import StepLocalJSON
import Synchronization
import Testing

/// The Step Functions API client `steplocal record --endpoint` reads executions with: the AWS JSON
/// 1.0 requests it signs, history pages followed to the end, and the service's errors passed on.
@Suite("Step Functions API client")
struct StepFunctionsAPIClientTests {
    typealias MemoryTransport = EndpointTaskDispatcherTests.MemoryTransport

    static func client(_ transport: MemoryTransport) throws -> StepFunctionsAPIClient {
        StepFunctionsAPIClient(
            endpoint: try EndpointConfiguration.Endpoint(url: "http://127.0.0.1:8083", origin: "test"),
            credentials: SigV4Signer.Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"), region: "eu-west-1",
            transport: transport, now: { EndpointTaskDispatcherTests.date })
    }

    static func json(_ value: JSONValue, status: Int = 200) -> ServiceHTTPResponse {
        ServiceHTTPResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array(value.serialized().utf8))
    }

    @Test("An action is a signed POST to / with X-Amz-Target AWSStepFunctions.<Action> and the members as JSON")
    func request() async throws {
        let transport = MemoryTransport { _ in Self.json(["status": "SUCCEEDED"]) }
        let answer = try await Self.client(transport).call("DescribeExecution", ["executionArn": "arn:aws:states:eu-west-1:1:execution:M:e"])
        #expect(answer["status"] == "SUCCEEDED")
        let sent = try #require(transport.sent.withLock { $0.first })
        #expect(sent.url == "http://127.0.0.1:8083/")
        #expect(sent.method == "POST")
        func header(_ name: String) -> String? { sent.headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        #expect(header("X-Amz-Target") == "AWSStepFunctions.DescribeExecution")
        #expect(header("Content-Type") == "application/x-amz-json-1.0")
        #expect(header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/states/aws4_request") == true)
        #expect(try JSONValue(parsing: String(decoding: sent.body, as: UTF8.self)) == ["executionArn": "arn:aws:states:eu-west-1:1:execution:M:e"])
    }

    @Test("A history longer than a page is read page by page, following nextToken to the end")
    func pages() async throws {
        let transport = MemoryTransport { request in
            let members = try JSONValue(parsing: String(decoding: request.body, as: UTF8.self))
            switch members["nextToken"]?.stringValue {
            case nil: return Self.json(["events": [["id": 1], ["id": 2]], "nextToken": "t2"])
            case "t2": return Self.json(["events": [["id": 3], ["id": 4]], "nextToken": "t3"])
            default: return Self.json(["events": [["id": 5]]])
            }
        }
        let events = try await Self.client(transport).executionHistory("arn:aws:states:eu-west-1:1:execution:M:e", pageSize: 2)
        #expect(events.map { $0["id"] } == [1, 2, 3, 4, 5])
        #expect(transport.count == 3)
    }

    @Test("The service's error reaches the caller by name and message, namespace dropped")
    func serviceError() async throws {
        let transport = MemoryTransport { _ in
            Self.json(["__type": "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", "message": "Execution Does Not Exist: 'x'"], status: 400)
        }
        await #expect {
            _ = try await Self.client(transport).call("DescribeExecution", ["executionArn": "x"])
        } throws: { error in
            let failure = error as? StepFunctionsAPIError
            return failure?.type == "ExecutionDoesNotExist" && failure?.status == 400 && failure?.message == "Execution Does Not Exist: 'x'"
        }
    }

    @Test("No answer at all is told apart from a service error")
    func unreachable() async throws {
        struct Refused: Error {}
        let transport = MemoryTransport { _ in throw Refused() }
        await #expect {
            _ = try await Self.client(transport).call("DescribeExecution", [:])
        } throws: { error in
            (error as? StepFunctionsAPIError).map { $0.type == "ConnectionFailed" && $0.status == nil } ?? false
        }
    }
}
