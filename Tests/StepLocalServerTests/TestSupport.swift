import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import StepLocalEngine
import StepLocalJSON
import Testing

@testable import StepLocalServer

/// An AWS answer as a test sees it: the HTTP status and the parsed JSON body.
struct APIResponse {
    var status: HTTPResponse.Status
    var body: JSONValue
    var contentType: String?

    /// The `__type` of an error body.
    var errorType: String? { body["__type"]?.stringValue }
    var message: String? { body["message"]?.stringValue }
    subscript(key: String) -> JSONValue? { body[key] }
}

/// Drives the real application through `app.test(.router)` with AWS JSON 1.0 requests.
struct APIClient {
    let client: any TestClientProtocol

    func call(_ action: String, _ body: JSONValue = [:], headers extra: HTTPFields = [:]) async throws -> APIResponse {
        let response = try await raw(target: "AWSStepFunctions.\(action)", body: body.serialized(), headers: extra)
        if response.status == .ok {
            let problems = ResponseShapeChecker.problems(action: action, body: response.body)
            #expect(problems.isEmpty, "\(action) response does not match the service model: \(problems)")
        }
        return response
    }

    func raw(target: String?, body: String, headers extra: HTTPFields = [:]) async throws -> APIResponse {
        var headers: HTTPFields = [.contentType: "application/x-amz-json-1.0"]
        if let target { headers[HTTPField.Name("X-Amz-Target")!] = target }
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let text = String(buffer: response.body)
            let json = text.isEmpty ? JSONValue.null : try JSONValue(parsing: text)
            return APIResponse(status: response.status, body: json, contentType: response.headers[.contentType])
        }
    }

    /// Creates a state machine and returns its ARN.
    @discardableResult
    func createStateMachine(
        _ name: String, definition: String = Fixtures.passMachine, type: String = "STANDARD", extra: JSONObject = [:]
    ) async throws -> String {
        var body: JSONObject = [
            "name": .string(name), "definition": .string(definition), "roleArn": .string(Fixtures.role), "type": .string(type),
        ]
        for (key, value) in extra { body[key] = value }
        let response = try await call("CreateStateMachine", .object(body))
        try #require(response.status == .ok, "CreateStateMachine failed: \(response.body)")
        return try #require(response["stateMachineArn"]?.stringValue)
    }

    /// Polls DescribeExecution until the execution has left RUNNING.
    func waitForExecution(_ arn: String) async throws -> APIResponse {
        for _ in 0..<2000 {
            let response = try await call("DescribeExecution", ["executionArn": .string(arn)])
            if response["status"]?.stringValue != "RUNNING" { return response }
            await Task.yield()
        }
        Issue.record("execution \(arn) did not finish")
        return try await call("DescribeExecution", ["executionArn": .string(arn)])
    }
}

enum Fixtures {
    static let role = "arn:aws:iam::123456789012:role/service-role/StepFunctions"
    static let passMachine = #"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}"#
    static let otherPassMachine = #"{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}"#
    static let failMachine = #"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}"#
    static let waitMachine = #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100000,"End":true}}}"#

    static func configuration(clock: (any ExecutionClock)? = VirtualClock()) -> ServerConfiguration {
        ServerConfiguration(clock: clock, activityPollTimeout: .milliseconds(10), routingDraw: { 0 })
    }
}

/// Runs `body` against a fresh application in router-test mode (no sockets).
/// The server is left as a killed process leaves it: its store writes nothing more (executions
/// still running in it go on in memory only), so a server started next on the same data directory
/// owns the file.
func withAPI<T: Sendable>(
    _ configuration: ServerConfiguration = Fixtures.configuration(), _ body: @escaping @Sendable (APIClient) async throws -> T
) async throws -> T {
    let (app, services) = try makeApplication(configuration: configuration, logger: nil)
    defer { services.store.stopWriting() }
    return try await app.test(.router) { client in
        try await body(APIClient(client: client))
    }
}

/// ``withAPI(_:_:)`` with the server's services too, for a test that must see an execution the
/// API no longer shows (one forgotten as it ended, with its deleted state machine).
func withAPIAndServices<T: Sendable>(
    _ configuration: ServerConfiguration = Fixtures.configuration(), _ body: @escaping @Sendable (APIClient, ServerServices) async throws -> T
) async throws -> T {
    let (app, services) = try makeApplication(configuration: configuration, logger: nil)
    defer { services.store.stopWriting() }
    return try await app.test(.router) { client in
        try await body(APIClient(client: client), services)
    }
}
