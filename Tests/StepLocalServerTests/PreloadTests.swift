import StepLocalASL
import StepLocalJSON
import Testing

@testable import StepLocalServer

/// `steplocal serve --scenarios`: the scenarios' state machines exist before the first request,
/// created in process by CreateStateMachine's own rules.
@Suite("Preloaded state machines")
struct PreloadTests {
    static func configuration(_ machines: [PreloadedStateMachine]) -> ServerConfiguration {
        var configuration = Fixtures.configuration()
        configuration.stateMachines = machines
        return configuration
    }

    @Test("A preloaded machine describes, lists and runs at once, in the default region, as if an SDK had created it")
    func preloadedMachineIsThere() async throws {
        let machines = [
            PreloadedStateMachine(name: "Orders", definition: Fixtures.passMachine, type: .standard, roleArn: Fixtures.role),
            PreloadedStateMachine(name: "Quick", definition: Fixtures.otherPassMachine, type: .express, roleArn: Fixtures.role),
        ]
        try await withAPI(Self.configuration(machines)) { api in
            let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"
            let described = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(arn)])
            #expect(described["definition"] == .string(Fixtures.passMachine))
            #expect(described["type"] == "STANDARD")
            #expect(described["roleArn"] == .string(Fixtures.role))
            let listed = try await api.call("ListStateMachines")
            #expect(listed["stateMachines"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Orders", "Quick"])
            let run = try await api.call(
                "StartSyncExecution", ["stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Quick", "input": #"{"a":1}"#])
            #expect(run["status"] == "SUCCEEDED")
            #expect(run["output"] == #"{"a":1}"#)
        }
    }

    @Test("A machine CreateStateMachine would refuse stops start-up with AWS's error")
    func refusedMachineStopsStartUp() {
        let badName = PreloadedStateMachine(name: "no spaces allowed", definition: Fixtures.passMachine, type: .standard, roleArn: Fixtures.role)
        #expect(throws: AWSServiceError.invalidName("no spaces allowed")) {
            _ = try buildApplication(configuration: Self.configuration([badName]))
        }
        let badDefinition = PreloadedStateMachine(name: "Broken", definition: #"{"StartAt":"Nowhere","States":{}}"#, type: .standard, roleArn: Fixtures.role)
        let error = #expect(throws: AWSServiceError.self) {
            _ = try buildApplication(configuration: Self.configuration([badDefinition]))
        }
        #expect(error?.type == "InvalidDefinition")
    }
}
