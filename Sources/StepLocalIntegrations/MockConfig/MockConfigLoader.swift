import Foundation
import StepLocalASL
public import StepLocalJSON

/// Reads Step Functions Local's mock configuration format, unchanged, and validates the whole
/// file at once: a wrong type, an overlapping invocation range or a test case naming an
/// unknown response is reported at start-up with the file and JSON location, never at the
/// first execution that happens to use it.
public enum MockConfigLoader {
    /// Loads the file at `path` (`SFN_MOCK_CONFIG`, `--mock-config`).
    public static func load(path: String) throws(MockConfigError) -> MockConfig {
        let text: String
        do {
            text = try ConfigurationFileText.read(path: path)
        } catch {
            throw error == .unreadable ? .unreadable(path) : MockConfigError(file: path, location: "", message: error.message)
        }
        return try parse(text, file: path)
    }

    /// Parses mock configuration text; `file` only names the source in errors.
    public static func parse(_ text: String, file: String) throws(MockConfigError) -> MockConfig {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: text)
        } catch {
            throw .invalidJSON(file, error.description)
        }
        return try parse(root, file: file)
    }

    public static func parse(_ root: JSONValue, file: String) throws(MockConfigError) -> MockConfig {
        let top = try object(root, file: file, at: "")
        for key in top.keys where key != "StateMachines" && key != "MockedResponses" && key != fieldValidationKey {
            throw .unknownMember(file, "", key, allowed: ["StateMachines", "MockedResponses", fieldValidationKey])
        }
        let fileMode = try fieldValidationMode(top, file: file, at: "") ?? .strict
        var responses: [String: MockedResponse] = [:]
        if let responsesValue = top["MockedResponses"] {
            let location = "/MockedResponses"
            for (name, value) in try object(responsesValue, file: file, at: location) {
                responses[name] = try parseResponse(
                    value, name: name, file: file, at: JSONPointer.appending(location, name), fieldValidation: fileMode)
            }
        }
        guard let machinesValue = top["StateMachines"] else { throw .missing(file, "", "StateMachines") }
        var config = MockConfig()
        for (machine, machineValue) in try object(machinesValue, file: file, at: "/StateMachines") {
            let machineLocation = JSONPointer.appending("/StateMachines", machine)
            let machineObject = try object(machineValue, file: file, at: machineLocation)
            for key in machineObject.keys where key != "TestCases" {
                throw .unknownMember(file, machineLocation, key, allowed: ["TestCases"])
            }
            guard let casesValue = machineObject["TestCases"] else { throw .missing(file, machineLocation, "TestCases") }
            let casesLocation = JSONPointer.appending(machineLocation, "TestCases")
            var cases: [String: MockTestCase] = [:]
            for (caseName, caseValue) in try object(casesValue, file: file, at: casesLocation) {
                let caseLocation = JSONPointer.appending(casesLocation, caseName)
                var stateResponses: [String: MockedResponse] = [:]
                for (state, reference) in try object(caseValue, file: file, at: caseLocation) {
                    let location = JSONPointer.appending(caseLocation, state)
                    guard case .string(let responseName) = reference else {
                        throw .wrongType(file, location, expected: "the name of a mocked response (a string)", found: reference.typeName)
                    }
                    guard let response = responses[responseName] else {
                        throw .unknownResponse(file, location, responseName, known: Array(responses.keys))
                    }
                    stateResponses[state] = response
                }
                cases[caseName] = MockTestCase(name: caseName, responses: stateResponses)
            }
            config.stateMachines[machine] = cases
        }
        return config
    }

    /// StepLocal's addition to the format: how strictly `Return` values are checked against the
    /// service's output shape (`STRICT`, the default, `PRESENT` or `NONE`), at the top level of
    /// the file or inside one named response (which wins). The check runs once the state's
    /// Resource is known: when a scenario file references the test case, or when an execution is
    /// started with `arn#TestCase`. Step Functions Local has no such check; the key is StepLocal's.
    public static let fieldValidationKey = "FieldValidationMode"

    /// One `MockedResponses` entry: `{"0": {"Return": ...}, "1-2": {"Throw": {"Error", "Cause"}}}`,
    /// optionally with `"FieldValidationMode"` beside the invocation keys.
    /// Scenario files reuse it for inline mocks written in this form.
    public static func parseResponse(
        _ value: JSONValue, name: String, file: String, at location: String, fieldValidation: FieldValidationMode = .strict
    ) throws(MockConfigError) -> MockedResponse {
        var entries: [MockedResponse.Entry] = []
        var keys: [InvocationRange: String] = [:]
        let members = try object(value, file: file, at: location)
        let mode = try fieldValidationMode(members, file: file, at: location) ?? fieldValidation
        for (key, entryValue) in members where key != fieldValidationKey {
            let entryLocation = JSONPointer.appending(location, key)
            guard let range = InvocationRange(key: key) else { throw .badRange(file, entryLocation, key) }
            if let clash = entries.first(where: { $0.range.overlaps(range) }) {
                throw .overlap(file, entryLocation, key, keys[clash.range] ?? clash.range.description)
            }
            keys[range] = key
            entries.append(MockedResponse.Entry(range: range, answer: try parseAnswer(entryValue, file: file, at: entryLocation)))
        }
        return MockedResponse(name: name, entries: entries, fieldValidation: mode, origin: "\(file): \(location)")
    }

    /// The `FieldValidationMode` member of `object`, if present.
    static func fieldValidationMode(_ object: JSONObject, file: String, at location: String) throws(MockConfigError) -> FieldValidationMode? {
        guard let value = object[fieldValidationKey] else { return nil }
        guard let text = value.stringValue, let mode = FieldValidationMode(text: text) else {
            throw MockConfigError(
                file: file, location: JSONPointer.appending(location, fieldValidationKey),
                message: "expected STRICT, PRESENT or NONE, found \(value.serialized())")
        }
        return mode
    }

    static func parseAnswer(_ value: JSONValue, file: String, at location: String) throws(MockConfigError) -> MockAnswer {
        let entry = try object(value, file: file, at: location)
        for key in entry.keys where key != "Return" && key != "Throw" {
            throw .unknownMember(file, location, key, allowed: ["Return", "Throw"])
        }
        switch (entry["Return"], entry["Throw"]) {
        case (let returned?, nil):
            return .return(returned)
        case (nil, let thrown?):
            let throwLocation = JSONPointer.appending(location, "Throw")
            let fields = try object(thrown, file: file, at: throwLocation)
            for key in fields.keys where key != "Error" && key != "Cause" {
                throw .unknownMember(file, throwLocation, key, allowed: ["Error", "Cause"])
            }
            guard let errorValue = fields["Error"] else { throw .missing(file, throwLocation, "Error") }
            guard case .string(let error) = errorValue else {
                throw .wrongType(file, JSONPointer.appending(throwLocation, "Error"), expected: "a string", found: errorValue.typeName)
            }
            var cause: String?
            if let causeValue = fields["Cause"] {
                guard case .string(let text) = causeValue else {
                    throw .wrongType(file, JSONPointer.appending(throwLocation, "Cause"), expected: "a string", found: causeValue.typeName)
                }
                cause = text
            }
            return .throw(StatesError(error, cause: cause))
        case (nil, nil):
            throw .missing(file, location, "Return' or 'Throw")
        case (.some, .some):
            throw .returnAndThrow(file, location)
        }
    }

    static func object(_ value: JSONValue, file: String, at location: String) throws(MockConfigError) -> JSONObject {
        guard case .object(let object) = value else {
            throw .wrongType(file, location, expected: "an object", found: value.typeName)
        }
        return object
    }
}
