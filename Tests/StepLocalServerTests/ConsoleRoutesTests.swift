import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import StepLocalJSON
import Testing

@testable import StepLocalServer

/// The web console's own routes beside the AWS protocol: the page and its assets from the binary,
/// graphs as SVG, each state's story, the live feed, and the refusal of requests meant for
/// another host.
@Suite("Web console routes")
struct ConsoleRoutesTests {
    static let machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Console"
    static let definition = #"""
        {"StartAt":"First","States":{
          "First":{"Type":"Pass","Result":{"n":1},"Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"<b>Bold</b>"}],"Default":"Oops"},
          "<b>Bold</b>":{"Type":"Pass","End":true},
          "Oops":{"Type":"Fail","Error":"Nope"}}}
        """#

    struct Fetched {
        var status: HTTPResponse.Status
        var contentType: String?
        var text: String
    }

    static func get(_ api: APIClient, _ uri: String, host: String = "localhost:8083") async throws -> Fetched {
        var headers = HTTPFields()
        headers[HTTPField.Name("Host")!] = host
        return try await api.client.execute(uri: uri, method: .get, headers: headers) { response in
            Fetched(status: response.status, contentType: response.headers[.contentType], text: String(buffer: response.body))
        }
    }

    @Test("GET / serves the page; its script and style come from the binary")
    func pageAndAssets() async throws {
        try await withAPI { api in
            let page = try await Self.get(api, "/")
            #expect(page.status == .ok)
            #expect(page.contentType == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<script src="/console/console.js" defer></script>"#))
            let script = try await Self.get(api, "/console/console.js")
            #expect(script.status == .ok && script.text.contains("EventSource"))
            let style = try await Self.get(api, "/console/console.css")
            #expect(style.status == .ok && style.contentType == "text/css; charset=utf-8")
        }
    }

    @Test("A request naming another host (DNS rebinding) is refused in AWS's error shape")
    func otherHostsRefused() async throws {
        try await withAPI { api in
            let refused = try await Self.get(api, "/", host: "attacker.example:8083")
            #expect(refused.status == .forbidden)
            #expect(try JSONValue(parsing: refused.text)["__type"] == "AccessDeniedException")
            #expect(try await Self.get(api, "/", host: "127.0.0.1:8083").status == .ok)
            #expect(try await Self.get(api, "/", host: "[::1]:8083").status == .ok)
        }
        #expect(ConsoleRoutes.accepts(host: "example.com", boundTo: "0.0.0.0"))
        #expect(!ConsoleRoutes.accepts(host: nil, boundTo: "127.0.0.1"))
        #expect(!ConsoleRoutes.accepts(host: "localhost.attacker.example", boundTo: "localhost"))
    }

    @Test("The graph of a machine names every state, escaped; an execution's colours each state by what happened")
    func graphs() async throws {
        try await withAPI { api in
            try await api.createStateMachine("Console", definition: Self.definition)
            let machine = try await Self.get(api, "/console/graph.svg?stateMachineArn=\(Self.machineArn)")
            #expect(machine.status == .ok && machine.contentType == "image/svg+xml; charset=utf-8")
            #expect(machine.text.contains(#"data-state="&lt;b&gt;Bold&lt;/b&gt;""#))
            #expect(!machine.text.contains("<b>"))
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn)])
            let execution = try #require(started["executionArn"]?.stringValue)
            _ = try await api.waitForExecution(execution)
            let coloured = try await Self.get(api, "/console/graph.svg?executionArn=\(execution)")
            #expect(coloured.text.contains("sl-status-succeeded"))
            #expect(coloured.text.contains("sl-status-notReached") || !coloured.text.contains(#"data-state="Oops" class"#))

            let states = try JSONValue(parsing: try await Self.get(api, "/console/states?executionArn=\(execution)").text)
            #expect(states["status"] == "SUCCEEDED")
            #expect(states["states"]?["First"]?["status"] == "succeeded")
            #expect(states["states"]?["First"]?["output"] == ["n": 1])
            #expect(states["states"]?["Oops"] == nil)

            let missing = try await Self.get(api, "/console/graph.svg")
            #expect(missing.status == .badRequest)
            #expect(try JSONValue(parsing: missing.text)["__type"] == "ValidationException")
        }
    }

    @Test("The live feed of a finished execution sends every event once, after the events the page has, then says it closed")
    func feedOfAFinishedExecution() async throws {
        try await withAPI { api in
            try await api.createStateMachine("Console", definition: Self.definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn)])
            let execution = try #require(started["executionArn"]?.stringValue)
            _ = try await api.waitForExecution(execution)
            let history = try await api.call("GetExecutionHistory", ["executionArn": .string(execution)])
            let feed = try await Self.get(api, "/console/stream?executionArn=\(execution)")
            #expect(feed.contentType == "text/event-stream")
            let messages = feed.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(messages.count == 2)
            #expect(messages.last == "event: closed\ndata: {}")
            let first = try JSONValue(parsing: String(try #require(messages.first).dropFirst("data: ".count)))
            #expect(first["status"] == "SUCCEEDED")
            #expect(first["events"]?.arrayValue?.map { $0["type"] } == history["events"]?.arrayValue?.map { $0["type"] })
            #expect(first["states"]?["<b>Bold</b>"] == "succeeded")

            let tail = try await Self.get(api, "/console/stream?executionArn=\(execution)&after=3")
            let tailFirst = try JSONValue(parsing: String(try #require(tail.text.components(separatedBy: "\n\n").first).dropFirst("data: ".count)))
            #expect(tailFirst["events"]?.arrayValue?.first?["id"] == 4)
            #expect(tailFirst["from"] == 3)
            #expect(first["from"] == 0)

            // A page that says it has more events than there are is told to drop the rest.
            let count = try #require(history["events"]?.arrayValue?.count)
            let beyond = try await Self.get(api, "/console/stream?executionArn=\(execution)&after=\(count + 5)")
            let beyondFirst = try JSONValue(parsing: String(try #require(beyond.text.components(separatedBy: "\n\n").first).dropFirst("data: ".count)))
            #expect(beyondFirst["from"] == .int(count))
            #expect(beyondFirst["events"]?.arrayValue?.isEmpty == true)
        }
    }
}
