import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Event details the conformance corpus recorded on AWS and that no state test pinned before
/// issue 12: how Map states chain `previousEventId`, the first state's input text, failures
/// without an error name, and which errors a Catch never sees.
@Suite("History details recorded on AWS")
struct HistoryDetailTests {
    static func event(_ type: String, in snapshot: ExecutionSnapshot) throws -> HistoryEvent {
        try #require(snapshot.history.first { $0.type == type })
    }

    @Test("An inline Map without items: MapStateSucceeded and MapStateExited both name MapStateStarted")
    func emptyInlineMapChain() async throws {
        let snapshot = try await Harness.run(
            #"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}"#,
            inputJSON: #"{"items":[]}"#)
        let started = try Self.event("MapStateStarted", in: snapshot).id
        #expect(try Self.event("MapStateSucceeded", in: snapshot).previousEventId == started)
        #expect(try Self.event("MapStateExited", in: snapshot).previousEventId == started)
    }

    @Test("An inline Map whose iterations wait: MapStateExited names the last MapIterationSucceeded, not MapStateSucceeded")
    func waitingInlineMapChain() async throws {
        let snapshot = try await Harness.run(
            #"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}"#,
            inputJSON: #"{"items":[1,2]}"#)
        let lastIteration = try #require(snapshot.history.last { $0.type == "MapIterationSucceeded" }).id
        #expect(try Self.event("MapStateSucceeded", in: snapshot).previousEventId == lastIteration)
        #expect(try Self.event("MapStateExited", in: snapshot).previousEventId == lastIteration)
    }

    @Test("A Distributed Map: MapStateSucceeded names MapRunSucceeded, MapStateExited names MapRunStarted (AWS since late 2024)")
    func distributedMapChain() async throws {
        let snapshot = try await Harness.run(
            #"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}"#,
            inputJSON: #"{"items":[1,2]}"#)
        let runStarted = try Self.event("MapRunStarted", in: snapshot).id
        let runSucceeded = try Self.event("MapRunSucceeded", in: snapshot).id
        #expect(try Self.event("MapRunSucceeded", in: snapshot).previousEventId == runStarted)
        #expect(try Self.event("MapStateSucceeded", in: snapshot).previousEventId == runSucceeded)
        #expect(try Self.event("MapStateExited", in: snapshot).previousEventId == runStarted)
        #expect(try Self.event("ExecutionSucceeded", in: snapshot).previousEventId == Self.event("MapStateExited", in: snapshot).id)
    }

    @Test("ExecutionStarted and the first state's entered event hold the input text as sent; later events re-serialize")
    func firstStateKeepsInputText() async throws {
        let definition = try StateMachineDefinition.load(
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}"#)
        let text = #"["Hello", "World"]"#
        let snapshot = await ExecutionEngine(clock: VirtualClock(start: Harness.start), dispatcher: StubDispatcher.echo)
            .run(definition, input: Harness.json(text), inputText: text, identity: Harness.identity())
        #expect(try Self.event("ExecutionStarted", in: snapshot).details["input"] == .string(text))
        let entered = snapshot.history.filter { $0.type == "PassStateEntered" }
        #expect(entered.map { $0.details["input"] } == [.string(text), .string(#"["Hello","World"]"#)])
    }

    @Test("States.Runtime is caught by no Catch, not even one naming it; OutputPath explains a missing member as Jayway does")
    func runtimeErrorIsNeverCaught() async throws {
        let snapshot = try await Harness.run(
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","OutputPath":"$.no.such.path","Catch":[{"ErrorEquals":["States.Runtime"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}}}"#)
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.Runtime")
        #expect(snapshot.cause == "An error occurred while executing the state 'T' (entered at the event id #2). Invalid path '$.no.such.path' : Missing property in path $['no']")
    }

    @Test("A task failure without an error name (SendTaskFailure sent neither) reaches the Catch as {Error: null, Cause: null}; TaskFailed names no error")
    func unnamedFailure() async throws {
        let snapshot = try await Harness.run(
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}}}"#,
            dispatcher: StubDispatcher { _ in throw StatesError("", cause: nil) })
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["error"] == ["Error": .null, "Cause": .null])
        let failed = try Self.event("TaskFailed", in: snapshot)
        #expect(failed.details["error"] == nil)
        #expect(failed.details["cause"] == nil)
    }

    @Test("A JSONata error inside a Map iteration is recorded once, by the inner state; the Map records MapStateFailed after it")
    func innerEvaluationFailureRecordedOnce() async throws {
        let snapshot = try await Harness.run(
            #"{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% [1] %}","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input.nothing %}","End":true}}}}}}"#)
        #expect(snapshot.status == .failed)
        #expect(snapshot.history.filter { $0.type == "EvaluationFailed" }.count == 1)
        #expect(snapshot.history.map(\.type).suffix(3) == ["MapIterationFailed", "MapStateFailed", "ExecutionFailed"])
    }

    @Test("a state's entered and exited events show its input and output as JSON text when read, and name it without rendering")
    func deferredPayloadsRenderAsText() async throws {
        let snapshot = try await Harness.run(
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"b":[1,"two"]},"ResultPath":"$.r","Next":"B"},"B":{"Type":"Pass","End":true}}}"#,
            input: ["x": "\"quoted\""])
        let exitedA = try #require(snapshot.history.first { $0.type == "PassStateExited" })
        #expect(exitedA.stateName == "A")
        #expect(exitedA.details["output"] == .string(#"{"x":"\"quoted\"","r":{"b":[1,"two"]}}"#))
        #expect(exitedA.details["outputDetails"] == ["truncated": false])
        let enteredB = try #require(snapshot.history.last { $0.type == "PassStateEntered" })
        #expect(enteredB.stateName == "B")
        #expect(enteredB.details["name"] == "B")
        #expect(enteredB.details["input"] == exitedA.details["output"])
        #expect(enteredB.json().serialized().contains(#""stateEnteredEventDetails":{"name":"B","input":"#))
    }
}
