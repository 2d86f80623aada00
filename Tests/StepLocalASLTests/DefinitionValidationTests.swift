import StepLocalASL
import StepLocalJSON
import Testing

/// The loader's diagnostics, worded as AWS's ValidateStateMachineDefinition / InvalidDefinition
/// answers (codes SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, MISSING_END_STATE, ...).
@Suite("Definition validation diagnostics")
struct DefinitionValidationTests {
    static func diagnostics(_ text: String, type: StateMachineType = .standard) -> [Diagnostic] {
        StateMachineDefinition.validate(text, type: type).filter { $0.severity == .error }
    }

    static func single(_ state: String) -> String { #"{"StartAt":"S","States":{"S":\#(state)}}"# }

    /// Expects exactly one diagnostic with this code, message and location.
    static func expectOnly(_ text: String, _ code: String, _ message: String, at location: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = diagnostics(text)
        #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
        #expect(found.first?.code == code, sourceLocation: sourceLocation)
        #expect(found.first?.message == message, sourceLocation: sourceLocation)
        #expect(found.first?.location == location, sourceLocation: sourceLocation)
    }

    /// Expects one of the diagnostics to have this code, message and location.
    static func expectContains(_ text: String, _ code: String, _ message: String, at location: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = diagnostics(text)
        #expect(found.contains { $0.code == code && $0.message == message && $0.location == location }, "\(found)", sourceLocation: sourceLocation)
    }

    @Test("A minimal valid definition has no diagnostics and loads")
    func valid() throws {
        let text = Self.single(#"{"Type":"Pass","End":true}"#)
        #expect(Self.diagnostics(text).isEmpty)
        let definition = try StateMachineDefinition.load(text)
        #expect(definition.program.startAt == "S")
    }

    @Test("Missing StartAt and States are both listed at /")
    func missingRoot() {
        Self.expectOnly("{}", "SCHEMA_VALIDATION_FAILED", "These fields are required: [States, StartAt]", at: "/")
        Self.expectOnly(#"{"States":{"S":{"Type":"Pass","End":true}}}"#, "SCHEMA_VALIDATION_FAILED", "These fields are required: [StartAt]", at: "/")
        Self.expectOnly(#"{"StartAt":"S"}"#, "SCHEMA_VALIDATION_FAILED", "These fields are required: [States]", at: "/")
    }

    @Test("A definition that is not a JSON object, or not JSON at all, is rejected")
    func notJSON() {
        Self.expectOnly("[]", "SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object", at: nil)
        Self.expectOnly("   ", "SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object", at: nil)
        #expect(Self.diagnostics("not a definition").first?.code == "INVALID_JSON_DESCRIPTION")
        #expect(Self.diagnostics(#"{"StartAt":"S","#).first?.code == "INVALID_JSON_DESCRIPTION")
    }

    @Test("An unknown top-level field is reported as not supported")
    func unknownTopLevel() {
        Self.expectOnly(
            #"{"StartAt":"S","Foo":1,"States":{"S":{"Type":"Pass","End":true}}}"#, "SCHEMA_VALIDATION_FAILED", "Field 'Foo' is not supported", at: "/")
    }

    @Test("An unknown state field is reported at the state")
    func unknownStateField() {
        Self.expectOnly(Self.single(#"{"Type":"Pass","End":true,"Bogus":1}"#), "SCHEMA_VALIDATION_FAILED", "Field 'Bogus' is not supported", at: "/States/S")
    }

    @Test("A field of another state type is not supported (Seconds on a Pass)")
    func foreignField() {
        Self.expectOnly(Self.single(#"{"Type":"Pass","End":true,"Seconds":1}"#), "SCHEMA_VALIDATION_FAILED", "Field 'Seconds' is not supported", at: "/States/S")
    }

    @Test("Unknown state Type lists the eight state types")
    func unknownType() {
        Self.expectOnly(
            Self.single(#"{"Type":"Sleep","End":true}"#), "SCHEMA_VALIDATION_FAILED",
            "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", at: "/States/S/Type")
    }

    @Test("A state without Type")
    func missingType() {
        Self.expectOnly(Self.single(#"{"End":true}"#), "SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]", at: "/States/S")
    }

    @Test("Next and End together are mutually exclusive")
    func nextAndEnd() {
        let text = #"{"StartAt":"S","States":{"S":{"Type":"Pass","Next":"T","End":true},"T":{"Type":"Succeed"}}}"#
        Self.expectContains(text, "SCHEMA_VALIDATION_FAILED", "Field 'End' and 'Next' are mutually exclusive", at: "/States/S")
    }

    @Test("A non-terminal state with neither Next nor End")
    func neitherNextNorEnd() {
        Self.expectContains(Self.single(#"{"Type":"Pass"}"#), "MISSING_NEXT_OR_END", "These fields are required: [Next or End]", at: "/States/S")
    }

    @Test("End must be true")
    func endFalse() {
        Self.expectContains(Self.single(#"{"Type":"Pass","End":false}"#), "SCHEMA_VALIDATION_FAILED", "The value for the field 'End' must be true", at: "/States/S/End")
    }

    @Test("Next naming a state that does not exist: MISSING_TRANSITION_TARGET at the Next field")
    func missingTarget() {
        Self.expectContains(
            Self.single(#"{"Type":"Pass","Next":"Nowhere"}"#), "MISSING_TRANSITION_TARGET", "Missing 'Next' target: Nowhere", at: "/States/S/Next")
    }

    @Test("StartAt naming a state that does not exist")
    func startAtMissing() {
        Self.expectContains(
            #"{"StartAt":"X","States":{"S":{"Type":"Pass","End":true}}}"#, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: X", at: "/StartAt")
    }

    @Test("Choice and Catch targets are checked too")
    func choiceAndCatchTargets() {
        let text = #"""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"Gone"}],"Default":"T"},
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Lost"}]}}}
            """#
        Self.expectContains(text, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: Gone", at: "/States/C/Choices[0]/Next")
        Self.expectContains(text, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: Lost", at: "/States/T/Catch[0]/Next")
    }

    @Test("An unreachable state is reported")
    func unreachable() {
        Self.expectOnly(
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Pass","End":true}}}"#, "MISSING_TRANSITION_TARGET",
            #"State "B" is not reachable."#, at: "/States/B")
    }

    @Test("A workflow without any terminal state: MISSING_END_STATE")
    func missingEndState() {
        Self.expectOnly(
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}"#, "MISSING_END_STATE",
            "Workflow has no terminal state", at: nil)
    }

    @Test("A branch of a Parallel state is validated with its own locations")
    func nestedLocations() {
        let text = Self.single(#"{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Z"}}}]}"#)
        Self.expectContains(text, "MISSING_TRANSITION_TARGET", "Missing 'Next' target: Z", at: "/States/S/Branches[0]/States/A/Next")
    }

    @Test("Bad JSONPath syntax in InputPath is reported at the field")
    func badJSONPath() {
        Self.expectOnly(
            Self.single(#"{"Type":"Pass","End":true,"InputPath":"$.a[["}"#), "SCHEMA_VALIDATION_FAILED",
            "The value for the field 'InputPath' must be a valid JSONPath", at: "/States/S/InputPath")
    }

    @Test("ResultPath must be a reference path (no wildcards or filters)")
    func resultPathNotReference() {
        Self.expectOnly(
            Self.single(#"{"Type":"Pass","End":true,"ResultPath":"$.a[*]"}"#), "SCHEMA_VALIDATION_FAILED",
            "The value for the field 'ResultPath' must be a valid Reference Path", at: "/States/S/ResultPath")
    }

    @Test("A payload template path that is neither JSONPath nor intrinsic is reported at Parameters")
    func badTemplatePath() {
        Self.expectOnly(
            Self.single(#"{"Type":"Pass","End":true,"Parameters":{"x.$":"not a path"}}"#), "SCHEMA_VALIDATION_FAILED",
            "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call", at: "/States/S/Parameters")
    }

    @Test("Fail with both Error and ErrorPath (and Cause and CausePath) is rejected")
    func failErrorAndErrorPath() {
        Self.expectOnly(
            Self.single(#"{"Type":"Fail","Error":"E","ErrorPath":"$.e"}"#), "SCHEMA_VALIDATION_FAILED",
            "Field 'Error' and 'ErrorPath' are mutually exclusive", at: "/States/S")
        Self.expectOnly(
            Self.single(#"{"Type":"Fail","Cause":"C","CausePath":"$.c"}"#), "SCHEMA_VALIDATION_FAILED",
            "Field 'Cause' and 'CausePath' are mutually exclusive", at: "/States/S")
    }

    @Test("States.ALL must be alone in ErrorEquals and in the last retrier / catcher")
    func statesAll() {
        let notAlone = Self.single(#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[{"ErrorEquals":["States.ALL","X"]}]}"#)
        Self.expectContains(notAlone, "SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone in 'ErrorEquals'", at: "/States/S/Retry[0]/ErrorEquals")
        let notLast = Self.single(
            #"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]}"#)
        Self.expectContains(notLast, "SCHEMA_VALIDATION_FAILED", "States.ALL must be the last retrier", at: "/States/S/Retry[0]/ErrorEquals")
        let catchNotLast = #"""
            {"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
              "Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"},{"ErrorEquals":["X"],"Next":"H"}]},"H":{"Type":"Succeed"}}}
            """#
        Self.expectContains(catchNotLast, "SCHEMA_VALIDATION_FAILED", "States.ALL must be the last catcher", at: "/States/S/Catch[0]/ErrorEquals")
    }

    @Test("Retry fields are range-checked and JitterStrategy is FULL or NONE")
    func retryFields() {
        let text = Self.single(
            #"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[{"ErrorEquals":["X"],"MaxAttempts":-1,"JitterStrategy":"SOME"}]}"#)
        let found = Self.diagnostics(text)
        #expect(found.contains { $0.location == "/States/S/Retry[0]/MaxAttempts" })
        #expect(found.contains { $0.message == "The field 'JitterStrategy' should have one of these values: [FULL, NONE]" })
    }

    @Test("Wait timestamps must be RFC 3339 (AWS recorded cases: no T, no Z, bad date)", arguments: [
        "2016-03-14 01:59:00Z", "2016-03-14T01:59:00", "2016-13-14T01:59:00Z", "2016-03-14T25:59:00Z", "yesterday",
    ])
    func badTimestamp(_ timestamp: String) {
        Self.expectOnly(
            Self.single(#"{"Type":"Wait","Timestamp":"\#(timestamp)","End":true}"#), "SCHEMA_VALIDATION_FAILED",
            "String does not match RFC3339 timestamp", at: "/States/S/Timestamp")
    }

    @Test("Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath")
    func waitFields() {
        Self.expectOnly(
            Self.single(#"{"Type":"Wait","End":true}"#), "SCHEMA_VALIDATION_FAILED",
            "These fields are required: [Seconds, SecondsPath, Timestamp, TimestampPath]", at: "/States/S")
        Self.expectOnly(
            Self.single(#"{"Type":"Wait","Seconds":1,"Timestamp":"2016-03-14T01:59:00Z","End":true}"#), "SCHEMA_VALIDATION_FAILED",
            "Only one of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] can be set", at: "/States/S")
    }

    @Test("Task Resource must be a recognised ARN", arguments: [
        "arn:aws:states:::dynamodb:query", "not-an-arn", "arn:aws:states:::lambda:invoke.sync", "arn:aws:s3:::bucket",
    ])
    func invalidResource(_ resource: String) {
        Self.expectOnly(
            Self.single(#"{"Type":"Task","Resource":"\#(resource)","End":true}"#), "SCHEMA_VALIDATION_FAILED",
            "The resource provided \(resource) is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
            at: "/States/S/Resource")
    }

    @Test("Valid resources: Lambda function ARN, activity, optimized integrations, aws-sdk", arguments: [
        "arn:aws:lambda:us-east-1:123456789012:function:F", "arn:aws:states:us-east-1:123456789012:activity:A",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::aws-sdk:s3:listBuckets",
    ])
    func validResource(_ resource: String) {
        #expect(Self.diagnostics(Self.single(#"{"Type":"Task","Resource":"\#(resource)","End":true}"#)).isEmpty)
    }

    @Test("Express machines reject .sync and .waitForTaskToken integrations")
    func expressIntegrations() {
        let sync = Self.diagnostics(Self.single(#"{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","End":true}"#), type: .express)
        #expect(sync.map(\.message) == ["Express state machine does not support '.sync' service integration"])
        let token = Self.diagnostics(Self.single(#"{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken","End":true}"#), type: .express)
        #expect(token.map(\.message) == ["Express state machine does not support '.waitForTaskToken' service integration "])
    }

    @Test("JSONata-only fields are rejected in a JSONPath state, and JSONPath-only fields in a JSONata state")
    func languageSpecificFields() {
        Self.expectOnly(
            Self.single(#"{"Type":"Pass","End":true,"Output":{"a":1}}"#), "SCHEMA_VALIDATION_FAILED",
            "The field 'Output' is not supported for state type 'Pass' when the query language is JSONPath", at: "/States/S")
        Self.expectOnly(
            #"{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","End":true,"InputPath":"$.a"}}}"#, "SCHEMA_VALIDATION_FAILED",
            "The field 'InputPath' is not supported for state type 'Pass' when the query language is JSONata", at: "/States/S")
    }

    @Test("A state cannot downgrade to JSONPath in a JSONata machine")
    func downgrade() {
        Self.expectOnly(
            #"{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","End":true,"QueryLanguage":"JSONPath"}}}"#,
            "SCHEMA_VALIDATION_FAILED", "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", at: "/States/S")
    }

    @Test("Choice needs Choices; each rule needs Next and exactly one operator")
    func choiceRules() {
        Self.expectContains(Self.single(#"{"Type":"Choice","Default":"S"}"#), "SCHEMA_VALIDATION_FAILED", "These fields are required: [Choices]", at: "/States/S")
        let noOperator = #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","Next":"D"}]},"D":{"Type":"Succeed"}}}"#
        #expect(Self.diagnostics(noOperator).contains { $0.message == "A comparison operator is required" })
        let two = #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"IsString":true,"Next":"D"}]},"D":{"Type":"Succeed"}}}"#
        #expect(Self.diagnostics(two).contains { $0.message == "Only one comparison operator may be used per rule" })
        let noNext = #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true}],"Default":"D"},"D":{"Type":"Succeed"}}}"#
        #expect(Self.diagnostics(noNext).contains { $0.message == "These fields are required: [Next]" })
    }

    @Test("A comparison operand of the wrong type is reported at the operator")
    func operandType() {
        let text = #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":"1","Next":"D"}]},"D":{"Type":"Succeed"}}}"#
        Self.expectContains(text, "SCHEMA_VALIDATION_FAILED", "The value for the field 'NumericEquals' must be a NUMBER", at: "/States/C/Choices[0]/NumericEquals")
    }

    @Test("TimeoutSeconds must be a positive integer; TimeoutSeconds and TimeoutSecondsPath are mutually exclusive")
    func taskTimeout() {
        Self.expectContains(
            Self.single(#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":0,"End":true}"#), "SCHEMA_VALIDATION_FAILED",
            "The value for the field 'TimeoutSeconds' must be a positive integer", at: "/States/S/TimeoutSeconds")
        Self.expectContains(
            Self.single(#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":3,"TimeoutSecondsPath":"$.t","End":true}"#),
            "SCHEMA_VALIDATION_FAILED", "Field 'TimeoutSeconds' and 'TimeoutSecondsPath' are mutually exclusive", at: "/States/S")
    }

    @Test("Parallel needs Branches; Map needs ItemProcessor (or Iterator)")
    func parallelMapRequired() {
        Self.expectOnly(Self.single(#"{"Type":"Parallel","End":true}"#), "SCHEMA_VALIDATION_FAILED", "These fields are required: [Branches]", at: "/States/S")
        Self.expectOnly(Self.single(#"{"Type":"Map","End":true}"#), "SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]", at: "/States/S")
    }

    @Test("State names longer than 80 characters are rejected")
    func longName() {
        let name = String(repeating: "n", count: 81)
        #expect(Self.diagnostics(#"{"StartAt":"\#(name)","States":{"\#(name)":{"Type":"Succeed"}}}"#).contains {
            $0.message == "State names must be between 1 and 80 characters long"
        })
    }

    @Test("Several problems are reported together in one answer, joined AWS's way")
    func severalProblems() throws {
        let text = #"""
            {"StartAt":"A","Foo":true,"States":{
              "A":{"Type":"Pass","Next":"Missing","Bogus":1},
              "B":{"Type":"Wait","Timestamp":"nope","End":true},
              "C":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}
            """#
        let found = Self.diagnostics(text)
        #expect(found.count >= 4, "\(found)")
        #expect(found.contains { $0.message == "Field 'Foo' is not supported" })
        #expect(found.contains { $0.message == "Field 'Bogus' is not supported" })
        #expect(found.contains { $0.message == "String does not match RFC3339 timestamp" })
        #expect(found.contains { $0.code == "MISSING_TRANSITION_TARGET" && $0.location == "/States/A/Next" })
        #expect(throws: DefinitionLoadError.self) { try StateMachineDefinition.load(text) }
        do {
            _ = try StateMachineDefinition.load(text)
        } catch {
            #expect(error.invalidDefinitionMessage.hasPrefix("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "))
            #expect(error.invalidDefinitionMessage.contains(", "))
            #expect(error.diagnostics.count == found.count)
        }
    }

    @Test("Machine-level TimeoutSeconds must be a non-negative integer and Comment a string")
    func machineFields() {
        Self.expectContains(
            #"{"StartAt":"S","TimeoutSeconds":-1,"States":{"S":{"Type":"Succeed"}}}"#, "SCHEMA_VALIDATION_FAILED",
            "The value for the field 'TimeoutSeconds' must be a non-negative integer", at: "/TimeoutSeconds")
        Self.expectContains(
            #"{"StartAt":"S","Comment":5,"States":{"S":{"Type":"Succeed"}}}"#, "SCHEMA_VALIDATION_FAILED",
            "The value for the field 'Comment' must be a STRING", at: "/Comment")
    }
}
