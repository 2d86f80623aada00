import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Start anywhere: a run that begins at a named state instead of `StartAt`, so a long
/// workflow's tail is tested without driving it from the top.
@Suite("Starting a run at any state")
struct StartAnywhereTests {
    static let workflow = """
        {"StartAt": "Validate", "States": {
          "Validate": {"Type": "Pass", "Result": "validated", "ResultPath": "$.validation", "Next": "Charge"},
          "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Amount.$": "$.amount", "Customer.$": "$customer"},
                     "ResultSelector": {"charged.$": "$.Amount"}, "ResultPath": "$.charge", "Next": "Fulfil"},
          "Fulfil": {"Type": "Parallel", "ResultPath": "$.fulfilment", "End": true, "Branches": [
            {"StartAt": "Pack", "States": {
              "Pack": {"Type": "Pass", "Parameters": {"packed.$": "$.amount"}, "Next": "Label"},
              "Label": {"Type": "Pass", "Parameters": {"label.$": "States.Format('box of {}', $.packed)"}, "End": true}}},
            {"StartAt": "Notify", "States": {"Notify": {"Type": "Pass", "Result": "sent", "End": true}}}]}
        }}
        """

    func run(_ startAt: String, input: JSONValue, variables: [String: JSONValue] = [:], dispatcher: any TaskDispatcher = StubDispatcher.echo)
        async throws -> ExecutionSnapshot
    {
        let definition = try StateMachineDefinition.load(Self.workflow)
        return await ExecutionEngine(clock: VirtualClock(start: Harness.start), dispatcher: dispatcher)
            .run(definition, input: input, identity: Harness.identity(), options: RunOptions(variables: variables, startAt: startAt))
    }

    @Test("A top-level state runs to the machine's end; the states before it never run")
    func topLevelTail() async throws {
        let calls = CallLog()
        let snapshot = try await run("Charge", input: ["amount": 12], variables: ["customer": "c-1"], dispatcher: StubDispatcher { request in
            calls.append(request)
            return request.parameters
        })
        #expect(snapshot.status == .succeeded)
        #expect(calls.count == 1)
        #expect(calls.requests.first?.parameters == ["Amount": 12, "Customer": "c-1"])
        #expect(snapshot.output?["validation"] == nil)
        #expect(snapshot.output?["charge"] == ["charged": 12])
        #expect(snapshot.output?["fulfilment"] == [["label": "box of 12"], "sent"])
        let entered = snapshot.history.filter { $0.type.hasSuffix("StateEntered") }.map { $0.json()["stateEnteredEventDetails"]?["name"]?.stringValue }
        #expect(entered == ["Charge", "Fulfil", "Pack", "Label", "Notify"] || entered == ["Charge", "Fulfil", "Notify", "Pack", "Label"])
        #expect(snapshot.history.first?.type == "ExecutionStarted")
    }

    @Test("A state inside a Parallel branch runs that branch alone to its end, whose output ends the run")
    func nestedState() async throws {
        let snapshot = try await run("Label", input: ["packed": 3])
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == ["label": "box of 3"])
        #expect(snapshot.history.map(\.type) == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
    }

    @Test("Variables given at the start are in scope, as if earlier states had assigned them")
    func variablesInScope() async throws {
        let snapshot = try await run("Charge", input: ["amount": 5], variables: ["customer": "c-9"], dispatcher: StubDispatcher { $0.parameters })
        #expect(snapshot.status == .succeeded)
        let scheduled = snapshot.history.first { $0.type == "TaskScheduled" }?.json()["taskScheduledEventDetails"]?["parameters"]?.stringValue
        #expect(scheduled.flatMap { try? JSONValue(parsing: $0) } == ["Amount": 5, "Customer": "c-9"])
    }

    @Test("Every state, nested ones included, can be found; an unknown name is not")
    func lookup() throws {
        let definition = try StateMachineDefinition.load(Self.workflow)
        #expect(definition.allStateNames == ["Validate", "Charge", "Fulfil", "Pack", "Label", "Notify"])
        #expect(definition.program(containing: "Notify")?.startAt == "Notify")
        #expect(definition.program(containing: "Charge") === definition.program)
        #expect(definition.program(containing: "Missing") == nil)
        #expect(definition.startingAt("Missing") == nil)
    }
}
