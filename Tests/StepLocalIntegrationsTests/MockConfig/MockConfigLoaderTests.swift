import StepLocalASL
import StepLocalIntegrations
import StepLocalJSON
import Testing

@Suite("Mock config loader")
struct MockConfigLoaderTests {
    @Test("AWS's documentation example loads unchanged, with its three test cases resolved")
    func awsExampleLoads() throws {
        let config = try MockConfigLoader.load(path: MockConfigFixtures.path("mocks/aws-docs-example/MockConfigFile.json"))
        let cases = try #require(config.stateMachines["LambdaSQSIntegration"])
        #expect(Set(cases.keys) == ["HappyPath", "RetryPath", "HybridPath"])
        let retry = try #require(cases["RetryPath"]?.responses["LambdaState"])
        #expect(retry.entries.map(\.range) == [InvocationRange(0, 0), InvocationRange(1, 2), InvocationRange(3, 3)])
        #expect(cases["HybridPath"]?.responses["SQSState"] == nil)
    }

    @Test("Overlapping invocation ranges are refused with file and location", arguments: [
        (#"{"0": {"Return": 1}, "0-1": {"Return": 2}}"#, "/MockedResponses/R/0-1", "'0-1' overlaps '0'"),
        (#"{"1-3": {"Return": 1}, "2": {"Return": 2}}"#, "/MockedResponses/R/2", "'2' overlaps '1-3'"),
    ])
    func overlappingRanges(entries: String, location: String, message: String) {
        let text = #"{"StateMachines": {}, "MockedResponses": {"R": \#(entries)}}"#
        let error = #expect(throws: MockConfigError.self) { try MockConfigLoader.parse(text, file: "mocks.json") }
        #expect(error?.file == "mocks.json")
        #expect(error?.location == location)
        #expect(error?.message.contains(message) == true)
    }

    @Test("Gaps between invocation ranges are allowed, as in Step Functions Local")
    func gapsAllowed() throws {
        let text = #"{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1}, "5-6": {"Return": 2}}}}"#
        #expect(throws: Never.self) { try MockConfigLoader.parse(text, file: "m.json") }
    }

    @Test("A test case naming an unknown mocked response is refused, naming the known ones")
    func unknownResponse() {
        let text = #"{"StateMachines": {"M": {"TestCases": {"Happy": {"A": "Missing"}}}}, "MockedResponses": {"Known": {"0": {"Return": 1}}}}"#
        let error = #expect(throws: MockConfigError.self) { try MockConfigLoader.parse(text, file: "m.json") }
        #expect(error?.location == "/StateMachines/M/TestCases/Happy/A")
        #expect(error?.message.contains("unknown mocked response 'Missing'") == true)
        #expect(error?.message.contains("Known") == true)
    }

    @Test("Wrong types and malformed entries each get one clear error", arguments: [
        (#"[]"#, "", "expected an object, found array"),
        (#"{"StateMachines": {"M": {"TestCases": {"C": {"A": 3}}}}, "MockedResponses": {}}"#, "/StateMachines/M/TestCases/C/A", "found number"),
        (#"{"StateMachines": {"M": {"Cases": {}}}, "MockedResponses": {}}"#, "/StateMachines/M", "unknown member 'Cases'"),
        (#"{"MockedResponses": {}}"#, "", "missing required member 'StateMachines'"),
        (#"{"StateMachines": {}, "MockedResponses": {"R": {"first": {"Return": 1}}}}"#, "/MockedResponses/R/first", "not an invocation number"),
        (#"{"StateMachines": {}, "MockedResponses": {"R": {"2-1": {"Return": 1}}}}"#, "/MockedResponses/R/2-1", "not an invocation number"),
        (#"{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}}"#, "/MockedResponses/R/0", "not both"),
        (#"{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}}"#, "/MockedResponses/R/0/Throw", "missing required member 'Error'"),
        (#"{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Error": 7}}}}}"#, "/MockedResponses/R/0/Throw/Error", "expected a string"),
        (#"{"StateMachines": {}, "MockedResponse": {}}"#, "", "unknown member 'MockedResponse'"),
    ])
    func malformed(text: String, location: String, message: String) {
        let error = #expect(throws: MockConfigError.self) { try MockConfigLoader.parse(text, file: "bad.json") }
        #expect(error?.location == location)
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "no error")")
        #expect(error?.description.hasPrefix("bad.json: ") == true)
    }

    @Test("Invalid JSON and a missing file are reported with the file name")
    func invalidJSONAndMissingFile() {
        let invalid = #expect(throws: MockConfigError.self) { try MockConfigLoader.parse("{", file: "broken.json") }
        #expect(invalid?.description.hasPrefix("broken.json") == true)
        let missing = #expect(throws: MockConfigError.self) { try MockConfigLoader.load(path: "/nonexistent/mocks.json") }
        #expect(missing?.file == "/nonexistent/mocks.json")
    }

    @Test("Invocation range keys parse as Step Functions Local writes them", arguments: [
        ("0", InvocationRange(0, 0)), ("12", InvocationRange(12, 12)), ("1-2", InvocationRange(1, 2)), ("3-3", InvocationRange(3, 3)),
    ])
    func rangeKeys(key: String, expected: InvocationRange) {
        #expect(InvocationRange(key: key) == expected)
    }

    @Test("Malformed invocation range keys are rejected", arguments: ["", "-1", "a", "1-", "-", "2-1", "1-2-3", "+1", " 1"])
    func badRangeKeys(key: String) {
        #expect(InvocationRange(key: key) == nil)
    }
}
