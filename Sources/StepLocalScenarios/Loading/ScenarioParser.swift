import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON

/// Turns one located scenario document into a ``Scenario``. Each `expect…` helper throws the
/// error for the location it is looking at, so every message names the exact member.
struct ScenarioParser {
    let document: LocatedDocument
    var file: String { document.file }
    var directory: URL { URL(fileURLWithPath: file).deletingLastPathComponent() }

    static let scenarioKeys = ["name", "stateMachine", "definition", "type", "fieldValidation", "s3", "endpoints", "cases"]
    static let caseKeys = ["name", "input", "mocks", "mockConfig", "clock", "s3", "endpoints", "expect", "startAt", "variables", "context"]
    static let expectKeys = ["status", "output", "outputContains", "error", "cause", "states", "calls", "called", "s3"]

    func scenario() throws(ScenarioError) -> Scenario {
        var cache = DefinitionCache()
        return try scenario(cache: &cache)
    }

    func scenario(cache: inout DefinitionCache) throws(ScenarioError) -> Scenario {
        let root = try object(document.root, at: "")
        try checkKeys(root, allowed: Self.scenarioKeys, at: "")
        let fileStem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent

        var type = StateMachineType.standard
        if let value = root["type"] {
            let text = try string(value, at: "/type")
            guard let parsed = StateMachineType(rawValue: text.uppercased()) else {
                throw document.error("/type", "expected STANDARD or EXPRESS, found '\(text)'")
            }
            type = parsed
        }
        // How strictly every mocked result is checked against its service's output shape; absent,
        // inline mocks are STRICT and referenced mock-config responses keep their file's setting.
        var fieldValidation: FieldValidationMode? = nil
        if let value = root["fieldValidation"] {
            let text = try string(value, at: "/fieldValidation")
            guard let mode = FieldValidationMode(text: text) else {
                throw document.error("/fieldValidation", "expected STRICT, PRESENT or NONE, found '\(text)'")
            }
            fieldValidation = mode
        }
        guard let definitionValue = root["definition"] else { throw document.error("", "missing required member 'definition'") }
        let (definitionText, definitionStem) = try definitionSource(definitionValue)
        let definition: StateMachineDefinition
        let states: DefinitionStates
        if let cached = cache.entries[DefinitionCache.Key(text: definitionText, type: type)] {
            (definition, states) = cached
        } else {
            do {
                definition = try StateMachineDefinition.load(definitionText, type: type)
            } catch {
                throw document.error("/definition", error.invalidDefinitionMessage)
            }
            states = DefinitionStates(definition)
            cache.entries[DefinitionCache.Key(text: definitionText, type: type)] = (definition, states)
        }
        let name = try root["name"].map { v throws(ScenarioError) in try string(v, at: "/name") } ?? fileStem
        let machine = try root["stateMachine"].map { v throws(ScenarioError) in try string(v, at: "/stateMachine") }
            ?? definitionStem ?? fileStem
        let sharedObjects = try root["s3"].map { v throws(ScenarioError) in try s3Objects(v, at: "/s3") }
        let sharedEndpoints = try root["endpoints"].map { v throws(ScenarioError) in try endpoints(v, at: "/endpoints") } ?? [:]
        guard let casesValue = root["cases"] else { throw document.error("", "missing required member 'cases'") }
        let caseValues = try array(casesValue, at: "/cases")
        var cases: [ScenarioCase] = []
        var seen: Set<String> = []
        for (index, value) in caseValues.enumerated() {
            let location = "/cases/\(index)"
            var parsed = try scenarioCase(value, at: location, states: states, fieldValidation: fieldValidation)
            if let sharedObjects {
                // The case's own objects are laid over the file's, bucket by bucket and key by key.
                parsed.s3 = sharedObjects.merging(parsed.s3 ?? [:]) { shared, own in shared.merging(own) { $1 } }
            }
            // The case's own endpoints win over the file's, service by service.
            parsed.endpoints = sharedEndpoints.merging(parsed.endpoints) { _, own in own }
            // Served as `arn#case`, the case brings its S3 data along with its mocks.
            parsed.mocks.s3Objects = parsed.s3
            guard seen.insert(parsed.name).inserted else {
                throw document.error(location + "/name", "duplicate case name '\(parsed.name)'")
            }
            cases.append(parsed)
        }
        return Scenario(
            file: file, name: name, stateMachineName: machine, type: type, definition: definition, definitionText: definitionText,
            cases: cases)
    }

    /// The definition text, from a relative path or inline (an object, or JSON text).
    private func definitionSource(_ value: JSONValue) throws(ScenarioError) -> (String, String?) {
        switch value {
        case .object:
            return (value.serialized(), nil)
        case .string(let text):
            if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") { return (text, nil) }
            let url = URL(fileURLWithPath: text, relativeTo: directory)
            let contents: String
            do {
                contents = try ConfigurationFileText.read(path: url.path)
            } catch .tooLarge {
                throw document.error("/definition", "the definition file '\(text)' (\(url.path)): \(ConfigurationFileText.Failure.tooLarge.message)")
            } catch {
                throw document.error("/definition", "cannot read the definition file '\(text)' (looked at \(url.path))")
            }
            var stem = url.deletingPathExtension().lastPathComponent
            if stem.hasSuffix(".asl") { stem = String(stem.dropLast(4)) }
            return (contents, stem)
        default:
            throw document.error("/definition", "expected a path (string) or an inline definition (object), found \(value.typeName)")
        }
    }

    private func scenarioCase(
        _ value: JSONValue, at location: String, states: DefinitionStates, fieldValidation: FieldValidationMode?
    ) throws(ScenarioError) -> ScenarioCase {
        let object = try object(value, at: location)
        try checkKeys(object, allowed: Self.caseKeys, at: location)
        guard let nameValue = object["name"] else { throw document.error(location, "missing required member 'name'") }
        let name = try string(nameValue, at: location + "/name")

        var responses: [String: MockedResponse] = [:]
        if let reference = object["mockConfig"] {
            responses = try mockConfigReference(reference, at: location + "/mockConfig", states: states)
            try checkFields(responses, states: states, mode: fieldValidation, at: location + "/mockConfig")
        }
        if let mocksValue = object["mocks"] {
            let mocksLocation = location + "/mocks"
            for (state, mock) in try self.object(mocksValue, at: mocksLocation) {
                let stateLocation = JSONPointer.appending(mocksLocation, state)
                try checkTaskState(state, states: states, at: stateLocation)
                var response = try mockedResponse(mock, name: "\(name)/\(state)", at: stateLocation)
                response.origin = nil  // the scenario error names the file and location already
                try checkFields([state: response], states: states, mode: fieldValidation, at: stateLocation)
                responses[state] = response
            }
        }
        var clock = ScenarioCase.Clock.virtual
        if let clockValue = object["clock"] {
            let text = try string(clockValue, at: location + "/clock")
            guard let parsed = ScenarioCase.Clock(rawValue: text) else {
                throw document.error(location + "/clock", "expected 'virtual' or 'real', found '\(text)'")
            }
            clock = parsed
        }
        let expectations = try object["expect"].map { v throws(ScenarioError) in
            try self.expectations(v, at: location + "/expect", states: states)
        } ?? Expectations()
        var startAt: String?
        if let startValue = object["startAt"] {
            let state = try string(startValue, at: location + "/startAt")
            guard states.all.contains(state) else {
                throw document.error(
                    location + "/startAt", "the definition has no state '\(state)' (its states: \(states.suggestion(for: state, in: states.all)))")
            }
            startAt = state
        }
        var variables: [String: JSONValue] = [:]
        if let variablesValue = object["variables"] {
            for (variable, value) in try self.object(variablesValue, at: location + "/variables") { variables[variable] = value }
        }
        let context = try object["context"].map { v throws(ScenarioError) in try self.object(v, at: location + "/context") }
        let objects = try object["s3"].map { v throws(ScenarioError) in try s3Objects(v, at: location + "/s3") }
        let endpoints = try object["endpoints"].map { v throws(ScenarioError) in try self.endpoints(v, at: location + "/endpoints") } ?? [:]
        return ScenarioCase(
            name: name, input: object["input"] ?? [:], mocks: MockTestCase(name: name, responses: responses), clock: clock,
            expectations: expectations, s3: objects, startAt: startAt, variables: variables, context: context, endpoints: endpoints)
    }

    /// `endpoints: {SERVICE: URL}`, keyed as `--endpoint` is (`dynamodb`, `sqs`, `stepfunctions`,
    /// or an aws-sdk JSON-protocol service such as `secretsmanager`): where the Task states that no
    /// mock answers are called for real.
    private func endpoints(_ value: JSONValue, at location: String) throws(ScenarioError) -> [String: EndpointConfiguration.Endpoint] {
        var endpoints: [String: EndpointConfiguration.Endpoint] = [:]
        var spellings: [String: String] = [:]
        for (name, urlValue) in try object(value, at: location) {
            let serviceLocation = JSONPointer.appending(location, name)
            guard let service = EndpointConfiguration.serviceKey(name) else {
                let known = EndpointConfiguration.services.map(\.key).joined(separator: ", ")
                throw document.error(
                    serviceLocation, "unknown service '\(name)'; known services: \(known), or an aws-sdk JSON-protocol service such as secretsmanager")
            }
            if let other = spellings.updateValue(name, forKey: service) {
                throw document.error(serviceLocation, "'\(name)' names the same service as '\(other)'")
            }
            let url = try string(urlValue, at: serviceLocation)
            do {
                endpoints[service] = try EndpointConfiguration.Endpoint(url: url, origin: "\(file) endpoints")
            } catch {
                throw document.error(serviceLocation, "'\(url)' is not an http:// or https:// URL with a host (e.g. http://localhost:8000)")
            }
        }
        return endpoints
    }

    /// `s3: {BUCKET: {KEY: CONTENT}}`, where CONTENT is the object's text, `{file: PATH}` (read
    /// from a path relative to this file) or `{json: VALUE}` (the value as JSON text); a bucket
    /// given as `{}` exists, empty (somewhere for a ResultWriter to write).
    private func s3Objects(_ value: JSONValue, at location: String) throws(ScenarioError) -> [String: [String: [UInt8]]] {
        var buckets: [String: [String: [UInt8]]] = [:]
        for (bucket, keysValue) in try object(value, at: location) {
            let bucketLocation = JSONPointer.appending(location, bucket)
            var keys: [String: [UInt8]] = [:]
            for (key, content) in try object(keysValue, at: bucketLocation) {
                let keyLocation = JSONPointer.appending(bucketLocation, key)
                switch content {
                case .string(let text):
                    keys[key] = Array(text.utf8)
                case .object(let form) where form.count == 1 && form["file"] != nil:
                    let path = try string(form["file"]!, at: keyLocation + "/file")
                    let url = URL(fileURLWithPath: path, relativeTo: directory)
                    guard let data = try? Data(contentsOf: url) else {
                        throw document.error(keyLocation + "/file", "cannot read the file '\(path)' (looked at \(url.path))")
                    }
                    keys[key] = Array(data)
                case .object(let form) where form.count == 1 && form["json"] != nil:
                    keys[key] = Array(form["json"]!.serialized().utf8)
                default:
                    throw document.error(keyLocation, "expected the object's text, {file: PATH} or {json: VALUE}, found \(content.typeName)")
                }
            }
            buckets[bucket] = keys
        }
        return buckets
    }

    /// `mockConfig: {file: ../mocks/x.json, stateMachine: Name, testCase: Case}`.
    private func mockConfigReference(_ value: JSONValue, at location: String, states: DefinitionStates) throws(ScenarioError) -> [String: MockedResponse] {
        let object = try object(value, at: location)
        try checkKeys(object, allowed: ["file", "stateMachine", "testCase"], at: location)
        func required(_ key: String) throws(ScenarioError) -> String {
            guard let value = object[key] else { throw document.error(location, "missing required member '\(key)'") }
            return try string(value, at: location + "/" + key)
        }
        let path = try required("file")
        let machine = try required("stateMachine")
        let testCase = try required("testCase")
        let url = URL(fileURLWithPath: path, relativeTo: directory)
        let config: MockConfig
        do {
            config = try MockConfigLoader.load(path: url.path)
        } catch {
            throw document.error(location + "/file", "the mock config is invalid: \(error.description)")
        }
        guard let cases = config.stateMachines[machine] else {
            throw document.error(location + "/stateMachine", "'\(path)' has no state machine '\(machine)' (it has: \(config.stateMachines.keys.sorted().joined(separator: ", ")))")
        }
        guard let found = cases[testCase] else {
            throw document.error(location + "/testCase", "'\(path)' has no test case '\(testCase)' for '\(machine)' (it has: \(cases.keys.sorted().joined(separator: ", ")))")
        }
        for state in found.responses.keys.sorted() {
            try checkTaskState(state, states: states, at: location + "/testCase")
        }
        return found.responses
    }

    /// The short forms: `{return: X}` (every invocation), `{throw: {error, cause}}`, a list of
    /// those for consecutive invocations, or Step Functions Local's own `{"0": {"Return": X}}`.
    private func mockedResponse(_ value: JSONValue, name: String, at location: String) throws(ScenarioError) -> MockedResponse {
        switch value {
        case .array(let items):
            guard !items.isEmpty else { throw document.error(location, "a list of mocked answers must not be empty") }
            var answers: [MockAnswer] = []
            for (index, item) in items.enumerated() {
                answers.append(try shortAnswer(item, at: location + "/\(index)"))
            }
            return MockedResponse(name: name, consecutive: answers)
        case .object(let object) where object.keys.contains("return") || object.keys.contains("throw"):
            let answer = try shortAnswer(value, at: location)
            return MockedResponse(name: name, entries: [.init(range: InvocationRange(0, Int.max), answer: answer)])
        case .object:
            do {
                return try MockConfigLoader.parseResponse(value, name: name, file: file, at: location)
            } catch {
                throw ScenarioError(file: file, location: error.location, line: document.line(error.location), message: error.message
                    + " (a mock is {return: ...}, {throw: {error, cause}}, a list of those, or Step Functions Local's {\"0\": {\"Return\": ...}})")
            }
        default:
            throw document.error(location, "expected a mock ({return: ...}, {throw: {error, cause}} or a list of those), found \(value.typeName)")
        }
    }

    private func shortAnswer(_ value: JSONValue, at location: String) throws(ScenarioError) -> MockAnswer {
        let object = try object(value, at: location)
        try checkKeys(object, allowed: ["return", "throw"], at: location)
        switch (object["return"], object["throw"]) {
        case (let returned?, nil):
            return .return(returned)
        case (nil, let thrown?):
            let throwLocation = location + "/throw"
            if case .string(let error) = thrown { return .throw(StatesError(error, cause: nil)) }
            let fields = try self.object(thrown, at: throwLocation)
            try checkKeys(fields, allowed: ["error", "cause"], at: throwLocation)
            guard let errorValue = fields["error"] else { throw document.error(throwLocation, "missing required member 'error'") }
            let error = try string(errorValue, at: throwLocation + "/error")
            let cause = try fields["cause"].map { v throws(ScenarioError) in try string(v, at: throwLocation + "/cause") }
            return .throw(StatesError(error, cause: cause))
        case (.some, .some):
            throw document.error(location, "a mocked answer has either 'return' or 'throw', not both")
        case (nil, nil):
            throw document.error(location, "a mocked answer needs 'return' or 'throw'")
        }
    }

    private func expectations(_ value: JSONValue, at location: String, states: DefinitionStates) throws(ScenarioError) -> Expectations {
        let object = try object(value, at: location)
        try checkKeys(object, allowed: Self.expectKeys, at: location)
        var result = Expectations()
        result.error = try object["error"].map { v throws(ScenarioError) in try string(v, at: location + "/error") }
        result.cause = try object["cause"].map { v throws(ScenarioError) in try string(v, at: location + "/cause") }
        if result.error != nil || result.cause != nil { result.status = .failed }
        if let statusValue = object["status"] {
            let text = try string(statusValue, at: location + "/status")
            guard let status = ExecutionStatus(rawValue: text.uppercased()), status != .pendingRedrive else {
                throw document.error(location + "/status", "expected SUCCEEDED, FAILED, TIMED_OUT, ABORTED or RUNNING, found '\(text)'")
            }
            result.status = status
        }
        result.output = object["output"]
        result.outputContains = object["outputContains"]
        if let statesValue = object["states"] {
            var names: [String] = []
            for (index, item) in try array(statesValue, at: location + "/states").enumerated() {
                let itemLocation = location + "/states/\(index)"
                let name = try string(item, at: itemLocation)
                guard states.all.contains(name) else {
                    throw document.error(itemLocation, "unknown state '\(name)'; the definition has: \(states.suggestion(for: name, in: states.all))")
                }
                names.append(name)
            }
            result.states = names
        }
        if let callsValue = object["calls"] {
            for (state, count) in try self.object(callsValue, at: location + "/calls") {
                let stateLocation = JSONPointer.appending(location + "/calls", state)
                try checkTaskState(state, states: states, at: stateLocation)
                guard case .number(let number) = count, let value = number.intValue, value >= 0 else {
                    throw document.error(stateLocation, "expected a non-negative whole number of calls, found \(count.serialized())")
                }
                result.calls[state] = value
            }
        }
        if let s3Value = object["s3"] {
            for (index, item) in try array(s3Value, at: location + "/s3").enumerated() {
                let itemLocation = location + "/s3/\(index)"
                let fields = try self.object(item, at: itemLocation)
                try checkKeys(fields, allowed: ["bucket", "key", "json", "jsonContains", "text"], at: itemLocation)
                guard let bucket = fields["bucket"], let key = fields["key"] else {
                    throw document.error(itemLocation, "an s3 expectation needs 'bucket' and 'key' (a key may use * for one path segment's text)")
                }
                let text = try fields["text"].map { v throws(ScenarioError) in try string(v, at: itemLocation + "/text") }
                result.s3.append(
                    S3Expectation(
                        bucket: try string(bucket, at: itemLocation + "/bucket"), key: try string(key, at: itemLocation + "/key"),
                        json: fields["json"], jsonContains: fields["jsonContains"], text: text))
            }
        }
        if let calledValue = object["called"] {
            for (state, list) in try self.object(calledValue, at: location + "/called") {
                let stateLocation = JSONPointer.appending(location + "/called", state)
                try checkTaskState(state, states: states, at: stateLocation)
                result.called[state] = try array(list, at: stateLocation)
            }
        }
        return result
    }

    /// Checks mocked results against the output shape of their state's Resource (see
    /// ``ResultShapeTables``; resources without a shape are not checked) and refuses the file with
    /// the state and field of every mismatch.
    private func checkFields(
        _ responses: [String: MockedResponse], states: DefinitionStates, mode: FieldValidationMode?, at location: String
    ) throws(ScenarioError) {
        var issues: [MockFieldIssue] = []
        for state in responses.keys.sorted() {
            guard let response = responses[state], let resource = states.resources[state] else { continue }
            issues += response.fieldProblems(state: state, resource: resource, mode: mode)
        }
        guard !issues.isEmpty else { return }
        throw document.error(
            location, "mocked result does not match the service's output shape: " + issues.map(\.description).joined(separator: "; ")
                + " (set fieldValidation: PRESENT or NONE at the top of the scenario file to relax the check)")
    }

    /// A mock answers a Task state, or the ItemReader of a Distributed Map state.
    private func checkTaskState(_ name: String, states: DefinitionStates, at location: String) throws(ScenarioError) {
        guard states.tasks.contains(name) || states.readers.contains(name) else {
            let what = states.all.contains(name) ? "'\(name)' is not a Task state (nor a Map with an ItemReader)" : "unknown state '\(name)'"
            var known = "the Task states are: \(states.suggestion(for: name, in: states.tasks))"
            if !states.readers.isEmpty { known += "; the Maps with an ItemReader: \(states.suggestion(for: name, in: states.readers))" }
            throw document.error(location, "\(what); \(known)")
        }
    }

    private func checkKeys(_ object: JSONObject, allowed: [String], at location: String) throws(ScenarioError) {
        for key in object.keys where !allowed.contains(key) {
            throw document.error(
                JSONPointer.appending(location, key), "unknown member '\(key)' (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    private func object(_ value: JSONValue, at location: String) throws(ScenarioError) -> JSONObject {
        guard case .object(let object) = value else { throw document.error(location, "expected an object, found \(value.typeName)") }
        return object
    }

    private func array(_ value: JSONValue, at location: String) throws(ScenarioError) -> [JSONValue] {
        guard case .array(let array) = value else { throw document.error(location, "expected a list, found \(value.typeName)") }
        return array
    }

    private func string(_ value: JSONValue, at location: String) throws(ScenarioError) -> String {
        guard case .string(let text) = value else { throw document.error(location, "expected a string, found \(value.typeName)") }
        return text
    }
}
