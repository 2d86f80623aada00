import StepLocalIntegrations
import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("Mock-config test cases checked against the definition at StartExecution")
struct MockTestCaseFieldValidationTests {
    static let machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"
    static let definition = #"{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}"#

    static func configuration(_ mocks: String) throws -> ServerConfiguration {
        var configuration = Fixtures.configuration()
        configuration.mockConfig = try MockConfigLoader.parse(mocks, file: "mocks.json")
        return configuration
    }

    @Test("arn#TestCase whose Lambda mock says Paylod is refused with the file, state and field; a good one starts")
    func misspelledMockRefused() async throws {
        let mocks = #"""
            {"StateMachines": {"Orders": {"TestCases": {"Bad": {"Charge": "Typo"}, "Good": {"Charge": "Paid"}}}},
             "MockedResponses": {"Typo": {"0": {"Return": {"Paylod": {}}}}, "Paid": {"0": {"Return": {"StatusCode": 200, "Payload": {}}}}}}
            """#
        try await withAPI(try Self.configuration(mocks)) { api in
            try await api.createStateMachine("Orders", definition: Self.definition)
            let bad = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn + "#Bad")])
            #expect(bad.errorType == "ValidationException")
            #expect(bad.message?.contains("mocks.json: /MockedResponses/Typo: state 'Charge'") == true, "\(bad.message ?? "")")
            #expect(bad.message?.contains("$.Paylod: not a member of lambda:invoke's result (did you mean Payload?)") == true)
            let good = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn + "#Good")])
            #expect(good["executionArn"] != nil)
        }
    }

    @Test("FieldValidationMode NONE in the mock-config file lets any result through")
    func noneAcceptsAnything() async throws {
        let mocks = #"""
            {"FieldValidationMode": "NONE", "StateMachines": {"Orders": {"TestCases": {"Any": {"Charge": "Free"}}}},
             "MockedResponses": {"Free": {"0": {"Return": {"ok": true}}}}}
            """#
        try await withAPI(try Self.configuration(mocks)) { api in
            try await api.createStateMachine("Orders", definition: Self.definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn + "#Any")])
            #expect(started["executionArn"] != nil)
        }
    }
}
