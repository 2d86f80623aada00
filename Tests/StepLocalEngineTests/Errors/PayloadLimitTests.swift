import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// AWS's payload quota: 256 KiB (262,144 bytes of compact UTF-8 JSON) for a state's input after
/// Parameters, a connector's result and a state's output ("Handling errors in Step Functions
/// workflows", States.DataLimitExceeded). Every place that builds a payload enforces it; the
/// failure is States.DataLimitExceeded, which a Catch naming it catches and `States.ALL` does not.
@Suite("Payload size limit")
struct PayloadLimitTests {
    static let lambda = "arn:aws:states:::lambda:invoke"

    /// A string of `count` x's.
    static func padding(_ count: Int) -> String { String(repeating: "x", count: count) }

    static func cause(_ name: String) -> String {
        "The state/task '\(name)' returned a result with a size exceeding the maximum number of bytes service limit."
    }

    /// A Map over `items` whose iterations each return a 1 KiB string: 1,000 items make about 1 MB.
    static func paddedMap(items: Int, catchers: String = "") -> (definition: String, input: JSONValue) {
        let handler = catchers.isEmpty ? "" : #","Handled":{"Type":"Pass","End":true}"#
        let definition = #"""
            {"StartAt":"Map","States":{
              "Map":{"Type":"Map","ItemsPath":"$.items",\#(catchers)
                "ItemProcessor":{"StartAt":"Pad","States":{"Pad":{"Type":"Pass","Result":"\#(padding(1024))","End":true}}},"End":true}\#(handler)}}
            """#
        return (definition, ["items": .array((0..<items).map { .int($0) })])
    }

    @Test("a Map of 1,000 iterations returning 1 KiB each fails with States.DataLimitExceeded naming the Map")
    func mapResultTooLarge() async throws {
        let (definition, input) = Self.paddedMap(items: 1_000)
        let snapshot = try await Harness.run(definition, input: input)
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("Map"))
        #expect(snapshot.eventTypes.suffix(2) == ["MapStateFailed", "ExecutionFailed"])
    }

    @Test("a Map whose results fit (200 iterations of 1 KiB) succeeds")
    func mapResultFits() async throws {
        let (definition, input) = Self.paddedMap(items: 200)
        let snapshot = try await Harness.run(definition, input: input)
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?.arrayValue?.count == 200)
    }

    @Test("Catch States.DataLimitExceeded catches an oversized Map result; States.ALL does not, as AWS documents")
    func mapResultCatch() async throws {
        let (named, input) = Self.paddedMap(items: 1_000, catchers: #""Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"Next":"Handled"}],"#)
        let caught = try await Harness.run(named, input: input)
        expectSucceeded(caught, output: #"{"Error":"States.DataLimitExceeded","Cause":"\#(Self.cause("Map"))"}"#)

        let (all, _) = Self.paddedMap(items: 1_000, catchers: #""Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}],"#)
        expectFailed(try await Harness.run(all, input: input), error: "States.DataLimitExceeded")
    }

    @Test("a Map on a wait path (child tasks) is held to the same limit")
    func mapResultTooLargeWithTasks() async throws {
        let definition = #"""
            {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items",
              "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(Self.lambda)","Parameters":{"p":"\#(Self.padding(1024))"},"End":true}}},
              "End":true}}}
            """#
        let snapshot = try await Harness.run(definition, input: ["items": .array((0..<1_000).map { .int($0) })])
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("Map"))
    }

    @Test("a Distributed Map whose 300 children return 1 KiB each: the Map Run succeeds, the state fails")
    func distributedMapResultTooLarge() async throws {
        let definition = #"""
            {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items",
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                "StartAt":"Pad","States":{"Pad":{"Type":"Pass","Result":"\#(Self.padding(1024))","End":true}}},
              "End":true}}}
            """#
        let snapshot = try await Harness.run(definition, input: ["items": .array((0..<300).map { .int($0) })])
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("Map"))
        #expect(snapshot.eventTypes.suffix(3) == ["MapRunSucceeded", "MapStateFailed", "ExecutionFailed"])
    }

    @Test("a Parallel whose branches return 150 KB each fails: their array is over 256 KiB")
    func parallelResultTooLarge() async throws {
        let branch = #"{"StartAt":"B","States":{"B":{"Type":"Pass","Result":"\#(Self.padding(150_000))","End":true}}}"#
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Parallel","Branches":[\#(branch),\#(branch)],"End":true}"#))
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("S"))
        #expect(snapshot.eventTypes.suffix(2) == ["ParallelStateFailed", "ExecutionFailed"])
    }

    @Test("a JSONata Output over 256 KiB fails the state")
    func jsonataOutputTooLarge() async throws {
        let over = try await Harness.run(
            Harness.single(#"{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $pad('', 270000, 'x') %}","End":true}"#))
        expectFailed(over, error: "States.DataLimitExceeded", cause: Self.cause("S"))
        #expect(over.eventTypes == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"])

        let fits = try await Harness.run(
            Harness.single(#"{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $pad('', 262000, 'x') %}","End":true}"#))
        #expect(fits.status == .succeeded)
    }

    @Test("a JSONata Catch Output over 256 KiB fails the state instead of transitioning")
    func jsonataCatchOutputTooLarge() async throws {
        let definition = #"""
            {"QueryLanguage":"JSONata","StartAt":"F","States":{
              "F":{"Type":"Task","Resource":"\#(Self.lambda)","End":true,
                "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $pad('', 270000, 'x') %}","Next":"Handled"}]},
              "Handled":{"Type":"Succeed"}}}
            """#
        let snapshot = try await Harness.run(definition, dispatcher: StubDispatcher { _ in throw StatesError("Custom.Error", cause: "boom") })
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("F"))
    }

    @Test("ResultPath merging a 100 KB result into a 200 KB input fails, though each part fits")
    func resultPathMergeTooLarge() async throws {
        let definition = Harness.single(#"{"Type":"Pass","Result":"\#(Self.padding(100_000))","ResultPath":"$.r","End":true}"#)
        let snapshot = try await Harness.run(definition, input: ["s": .string(Self.padding(200_000))])
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("S"))

        let fits = try await Harness.run(definition, input: ["s": .string(Self.padding(150_000))])
        #expect(fits.status == .succeeded)
    }

    @Test("ResultSelector building over 256 KiB from a 150 KB result fails the Task state")
    func resultSelectorTooLarge() async throws {
        let definition = Harness.single(
            #"{"Type":"Task","Resource":"\#(Self.lambda)","ResultSelector":{"a.$":"$","b.$":"$"},"End":true}"#)
        let snapshot = try await Harness.run(definition, dispatcher: StubDispatcher { _ in .string(Self.padding(150_000)) })
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("S"))
        #expect(snapshot.eventTypes.contains("TaskSucceeded"))
    }

    @Test("Task Parameters over 256 KiB fail before the task is scheduled; the dispatcher is never called")
    func taskParametersTooLarge() async throws {
        let log = CallLog()
        let definition = Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","Parameters":{"a.$":"$.s","b.$":"$.s"},"End":true}"#)
        let snapshot = try await Harness.run(
            definition, input: ["s": .string(Self.padding(140_000))], dispatcher: StubDispatcher { log.append($0); return .null })
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("S"))
        #expect(log.count == 0)
        #expect(!snapshot.eventTypes.contains("TaskScheduled"))
    }

    @Test("JSONata Task Arguments over 256 KiB fail the same way")
    func taskArgumentsTooLarge() async throws {
        let log = CallLog()
        let definition = Harness.single(
            #"{"Type":"Task","QueryLanguage":"JSONata","Resource":"\#(Self.lambda)","Arguments":{"p":"{% $pad('', 270000, 'x') %}"},"End":true}"#)
        let snapshot = try await Harness.run(definition, dispatcher: StubDispatcher { log.append($0); return .null })
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("S"))
        #expect(log.count == 0)
    }

    @Test("an ItemSelector building an iteration input over 256 KiB fails the Map")
    func itemSelectorTooLarge() async throws {
        let definition = Harness.single(#"""
            {"Type":"Map","ItemsPath":"$.items","ItemSelector":{"a.$":"$.s","b.$":"$.s"},
             "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}
            """#)
        let snapshot = try await Harness.run(definition, input: ["items": [1], "s": .string(Self.padding(140_000))])
        expectFailed(snapshot, error: "States.DataLimitExceeded", cause: Self.cause("S"))
    }

    @Test("a connector's oversized answer names the connector, as AWS records: 'lambda' or the function ARN")
    func connectorResultNamesResource() async throws {
        let big = StubDispatcher { _ in .string(Self.padding(300_000)) }
        let service = try await Harness.run(Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","End":true}"#), dispatcher: big)
        expectFailed(service, error: "States.DataLimitExceeded", cause: Self.cause("lambda"))
        #expect(service.eventTypes.contains("TaskFailed"))

        let function = "arn:aws:lambda:us-east-1:111111111111:function:f"
        let legacy = try await Harness.run(Harness.single(#"{"Type":"Task","Resource":"\#(function)","End":true}"#), dispatcher: big)
        expectFailed(legacy, error: "States.DataLimitExceeded", cause: Self.cause(function))
        #expect(legacy.eventTypes.contains("LambdaFunctionFailed"))
    }
}
