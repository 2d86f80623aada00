import StepLocalEngine
import StepLocalJSON
import Testing

@testable import StepLocalServer

/// How the server keeps executions: stable pages while executions start, `--max-executions`,
/// and what DeleteStateMachine releases.
@Suite("Execution storage")
struct ExecutionStorageTests {
    /// A Wait whose length comes from the input: `{"s": 0}` closes at once, `{"s": 100000}` stays running.
    static let waitFromInput = #"{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}"#

    static func names(_ page: APIResponse) -> [String] {
        page["executions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    static func start(_ api: APIClient, _ machine: String, _ name: String, seconds: Int = 0) async throws -> String {
        let started = try await api.call(
            "StartExecution", ["stateMachineArn": .string(machine), "name": .string(name), "input": .string(#"{"s":\#(seconds)}"#)])
        return try #require(started["executionArn"]?.stringValue, "StartExecution failed: \(started.body)")
    }

    @Test("ListExecutions pages neither repeat nor skip executions started between pages, as AWS's tokens")
    func pagesSurviveInserts() async throws {
        try await withAPI { api in
            let machine = try await api.createStateMachine("orders", definition: Self.waitFromInput)
            for index in 0..<5 { _ = try await Self.start(api, machine, "e\(index)") }

            let first = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "maxResults": 2])
            #expect(Self.names(first) == ["e4", "e3"])
            for index in 5..<8 { _ = try await Self.start(api, machine, "e\(index)") }
            let second = try await api.call(
                "ListExecutions", ["stateMachineArn": .string(machine), "maxResults": 2, "nextToken": first["nextToken"] ?? .null])
            #expect(Self.names(second) == ["e2", "e1"])
            let third = try await api.call(
                "ListExecutions", ["stateMachineArn": .string(machine), "maxResults": 2, "nextToken": second["nextToken"] ?? .null])
            #expect(Self.names(third) == ["e0"])
            #expect(third["nextToken"] == nil)

            let fresh = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "maxResults": 3])
            #expect(Self.names(fresh) == ["e7", "e6", "e5"])
        }
    }

    @Test("A page token is InvalidToken in another listing, mangled, or after AWS's 24 hours")
    func tokensAreChecked() async throws {
        let clock = VirtualClock()
        try await withAPI(Fixtures.configuration(clock: clock)) { api in
            let machine = try await api.createStateMachine("orders", definition: Self.waitFromInput)
            let other = try await api.createStateMachine("other", definition: Self.waitFromInput)
            for index in 0..<3 { _ = try await Self.start(api, machine, "e\(index)") }
            let first = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "maxResults": 1])
            let token = try #require(first["nextToken"])

            let elsewhere = try await api.call("ListExecutions", ["stateMachineArn": .string(other), "nextToken": token])
            #expect(elsewhere.errorType == "InvalidToken")
            #expect(elsewhere.status == .badRequest)
            let filtered = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "statusFilter": "RUNNING", "nextToken": token])
            #expect(filtered.errorType == "InvalidToken")
            let mangled = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "nextToken": "0123"])
            #expect(mangled.errorType == "InvalidToken")

            clock.advance(byMilliseconds: 23 * 3_600_000)
            let stillValid = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "maxResults": 1, "nextToken": token])
            #expect(Self.names(stillValid) == ["e1"])
            clock.advance(byMilliseconds: 2 * 3_600_000)
            let expired = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "nextToken": token])
            #expect(expired.errorType == "InvalidToken")
        }
    }

    @Test("ListExecutions by version or alias pages through that listing only, with a status filter")
    func versionListingsAndFilters() async throws {
        try await withAPI { api in
            let machine = try await api.createStateMachine("orders", definition: Self.waitFromInput)
            let published = try await api.call("PublishStateMachineVersion", ["stateMachineArn": .string(machine)])
            let version = try #require(published["stateMachineVersionArn"]?.stringValue)
            var started: [String] = []
            for index in 0..<3 { started.append(try await Self.start(api, machine, "plain\(index)")) }
            for index in 0..<3 { started.append(try await Self.start(api, version, "versioned\(index)")) }
            // They run in the background: the status filter below counts them once they have ended.
            for arn in started { _ = try await api.waitForExecution(arn) }

            let first = try await api.call("ListExecutions", ["stateMachineArn": .string(version), "maxResults": 2])
            #expect(Self.names(first) == ["versioned2", "versioned1"])
            let rest = try await api.call(
                "ListExecutions", ["stateMachineArn": .string(version), "maxResults": 2, "nextToken": first["nextToken"] ?? .null])
            #expect(Self.names(rest) == ["versioned0"])
            let all = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "statusFilter": "SUCCEEDED"])
            #expect(Self.names(all).count == 6)
            let none = try await api.call("ListExecutions", ["stateMachineArn": .string(machine), "statusFilter": "FAILED", "maxResults": 1])
            #expect(Self.names(none).isEmpty)
            #expect(none["nextToken"] == nil)
        }
    }

    @Test("--max-executions forgets the oldest closed executions and keeps running ones")
    func maxExecutionsEvictsOldestClosed() async throws {
        var configuration = Fixtures.configuration(clock: SystemClock())
        configuration.maxExecutions = 3
        try await withAPI(configuration) { api in
            let machine = try await api.createStateMachine("orders", definition: Self.waitFromInput)
            let running = try await Self.start(api, machine, "running", seconds: 100_000)
            var closed: [String] = []
            for index in 0..<4 {
                let arn = try await Self.start(api, machine, "closed\(index)")
                #expect(try await api.waitForExecution(arn)["status"] == "SUCCEEDED")
                closed.append(arn)
            }
            for evicted in closed.prefix(2) {
                let described = try await api.call("DescribeExecution", ["executionArn": .string(evicted)])
                #expect(described.errorType == "ExecutionDoesNotExist")
            }
            #expect(try await api.call("DescribeExecution", ["executionArn": .string(running)])["status"] == "RUNNING")
            let listed = try await api.call("ListExecutions", ["stateMachineArn": .string(machine)])
            #expect(Self.names(listed) == ["closed3", "closed2", "running"])
            _ = try await api.call("StopExecution", ["executionArn": .string(running)])
        }
    }

    @Test("DeleteStateMachine forgets its closed executions at once and its running ones when they close")
    func deleteReleasesExecutions() async throws {
        try await withAPI(Fixtures.configuration(clock: SystemClock())) { api in
            let machine = try await api.createStateMachine("orders", definition: Self.waitFromInput)
            let closed = try await Self.start(api, machine, "closed")
            _ = try await api.waitForExecution(closed)
            let running = try await Self.start(api, machine, "running", seconds: 100_000)
            let kept = try await api.createStateMachine("kept", definition: Self.waitFromInput)
            let other = try await Self.start(api, kept, "other")

            _ = try await api.call("DeleteStateMachine", ["stateMachineArn": .string(machine)])
            #expect(try await api.call("DescribeExecution", ["executionArn": .string(closed)]).errorType == "ExecutionDoesNotExist")
            #expect(try await api.call("DescribeExecution", ["executionArn": .string(running)])["status"] == "RUNNING")
            #expect(try await api.call("DescribeExecution", ["executionArn": .string(other)]).status == .ok)

            _ = try await api.call("StopExecution", ["executionArn": .string(running)])
            var answer = try await api.call("DescribeExecution", ["executionArn": .string(running)])
            for _ in 0..<2000 where answer.errorType == nil {
                try await Task.sleep(for: .milliseconds(1))
                answer = try await api.call("DescribeExecution", ["executionArn": .string(running)])
            }
            #expect(answer.errorType == "ExecutionDoesNotExist")
        }
    }

    @Test("The execution index pages newest first and evicts oldest first across removals and compactions")
    func indexSurvivesRemovals() {
        var index = ExecutionIndex()
        var live = Set<Int>()
        func keys(_ sequence: Int) -> [String] { ["machine", sequence % 2 == 0 ? "even" : "odd"] }
        for sequence in 1...300 {
            index.add(.init(sequence: sequence, arn: "e\(sequence)"), listings: keys(sequence))
            live.insert(sequence)
        }
        for sequence in 1...300 where sequence % 3 == 0 || sequence < 150 {
            live.remove(sequence)
            index.remove(listings: keys(sequence)) { live.contains($0.sequence) }
        }
        for listing in ["machine", "even", "odd"] {
            var seen: [Int] = []
            var before: Int?
            repeat {
                let page = index.newestFirst(listing, before: before, limit: 7) { live.contains($0.sequence) }
                seen += page.entries.map(\.sequence)
                before = page.more ? page.entries.last?.sequence : nil
            } while before != nil
            let expected = live.filter { listing == "machine" || keys($0)[1] == listing }.sorted(by: >)
            #expect(seen == expected, "listing \(listing)")
        }
        let oldest = index.oldest(3, isLive: { live.contains($0.sequence) }) { $0.sequence != 151 }
        #expect(oldest.map(\.sequence) == [152, 154, 155])
    }
}
