import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Choice state rules, from the AWS Developer Guide ("Choice workflow state": Choice Rules,
/// comparison operators, Boolean combinations, Default, States.NoChoiceMatched).
@Suite("Choice state")
struct ChoiceStateTests {
    /// One comparison: `{"Variable":"$.v", <op>: <operand>}` against input `{"v": <value>}`.
    struct Case: CustomTestStringConvertible, Sendable {
        let op: String
        let operand: String
        let value: String
        let matches: Bool
        var testDescription: String { "\(op) \(operand) with $.v = \(value) → \(matches)" }
    }

    static let comparisons: [Case] = [
        // Strings: exact, lexicographic (by code point).
        Case(op: "StringEquals", operand: #""abc""#, value: #""abc""#, matches: true),
        Case(op: "StringEquals", operand: #""abc""#, value: #""abd""#, matches: false),
        Case(op: "StringEquals", operand: #""1""#, value: "1", matches: false),
        Case(op: "StringLessThan", operand: #""b""#, value: #""a""#, matches: true),
        Case(op: "StringLessThan", operand: #""b""#, value: #""b""#, matches: false),
        Case(op: "StringLessThan", operand: #""a""#, value: #""B""#, matches: true),
        Case(op: "StringGreaterThan", operand: #""a""#, value: #""b""#, matches: true),
        Case(op: "StringGreaterThan", operand: #""b""#, value: #""b""#, matches: false),
        Case(op: "StringLessThanEquals", operand: #""b""#, value: #""b""#, matches: true),
        Case(op: "StringLessThanEquals", operand: #""b""#, value: #""c""#, matches: false),
        Case(op: "StringGreaterThanEquals", operand: #""b""#, value: #""b""#, matches: true),
        Case(op: "StringGreaterThanEquals", operand: #""b""#, value: #""a""#, matches: false),
        // StringMatches: * wildcard, \\* literal star, \\\\ backslash.
        Case(op: "StringMatches", operand: #""log-*.txt""#, value: #""log-2024.txt""#, matches: true),
        Case(op: "StringMatches", operand: #""log-*.txt""#, value: #""log-2024.csv""#, matches: false),
        Case(op: "StringMatches", operand: #""*""#, value: #""""#, matches: true),
        Case(op: "StringMatches", operand: #""a*b*c""#, value: #""aXXbYYc""#, matches: true),
        Case(op: "StringMatches", operand: #""a*b*c""#, value: #""aXXcYYb""#, matches: false),
        Case(op: "StringMatches", operand: #""star\\*""#, value: #""star*""#, matches: true),
        Case(op: "StringMatches", operand: #""star\\*""#, value: #""starlight""#, matches: false),
        Case(op: "StringMatches", operand: #""back\\\\slash""#, value: #""back\\slash""#, matches: true),
        Case(op: "StringMatches", operand: #""exact""#, value: #""exactly""#, matches: false),
        // Numbers: integer and floating-point compare by value.
        Case(op: "NumericEquals", operand: "1", value: "1.0", matches: true),
        Case(op: "NumericEquals", operand: "0", value: "0", matches: true),
        Case(op: "NumericEquals", operand: "1", value: #""1""#, matches: false),
        Case(op: "NumericLessThan", operand: "10", value: "9.99", matches: true),
        Case(op: "NumericLessThan", operand: "10", value: "10", matches: false),
        Case(op: "NumericGreaterThan", operand: "-1", value: "0", matches: true),
        Case(op: "NumericGreaterThan", operand: "0", value: "0", matches: false),
        Case(op: "NumericLessThanEquals", operand: "5", value: "5", matches: true),
        Case(op: "NumericLessThanEquals", operand: "5", value: "5.5", matches: false),
        Case(op: "NumericGreaterThanEquals", operand: "5", value: "5", matches: true),
        Case(op: "NumericGreaterThanEquals", operand: "5", value: "4", matches: false),
        // Booleans.
        Case(op: "BooleanEquals", operand: "true", value: "true", matches: true),
        Case(op: "BooleanEquals", operand: "true", value: "false", matches: false),
        Case(op: "BooleanEquals", operand: "false", value: #""false""#, matches: false),
        // Timestamps: compared as instants, not as text.
        Case(op: "TimestampEquals", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T01:59:00Z""#, matches: true),
        Case(op: "TimestampEquals", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T02:59:00+01:00""#, matches: true),
        Case(op: "TimestampEquals", operand: #""2016-03-14T01:59:00Z""#, value: #""not a date""#, matches: false),
        Case(op: "TimestampLessThan", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T01:58:59Z""#, matches: true),
        Case(op: "TimestampLessThan", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T01:59:00Z""#, matches: false),
        Case(op: "TimestampGreaterThan", operand: #""2016-03-14T01:59:00Z""#, value: #""2017-01-01T00:00:00Z""#, matches: true),
        Case(op: "TimestampGreaterThan", operand: #""2016-03-14T01:59:00Z""#, value: #""2015-01-01T00:00:00Z""#, matches: false),
        Case(op: "TimestampLessThanEquals", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T01:59:00Z""#, matches: true),
        Case(op: "TimestampLessThanEquals", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T01:59:01Z""#, matches: false),
        Case(op: "TimestampGreaterThanEquals", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T01:59:00Z""#, matches: true),
        Case(op: "TimestampGreaterThanEquals", operand: #""2016-03-14T01:59:00Z""#, value: #""2016-03-14T01:58:00Z""#, matches: false),
    ]

    static let typeTests: [Case] = [
        Case(op: "IsNull", operand: "true", value: "null", matches: true),
        Case(op: "IsNull", operand: "true", value: "0", matches: false),
        Case(op: "IsNull", operand: "false", value: #""x""#, matches: true),
        Case(op: "IsNumeric", operand: "true", value: "1.5", matches: true),
        Case(op: "IsNumeric", operand: "true", value: #""1.5""#, matches: false),
        Case(op: "IsNumeric", operand: "false", value: "null", matches: true),
        Case(op: "IsString", operand: "true", value: #""""#, matches: true),
        Case(op: "IsString", operand: "true", value: "[]", matches: false),
        Case(op: "IsString", operand: "false", value: "{}", matches: true),
        Case(op: "IsBoolean", operand: "true", value: "false", matches: true),
        Case(op: "IsBoolean", operand: "true", value: #""true""#, matches: false),
        Case(op: "IsBoolean", operand: "false", value: "1", matches: true),
        Case(op: "IsTimestamp", operand: "true", value: #""2016-03-14T01:59:00Z""#, matches: true),
        Case(op: "IsTimestamp", operand: "true", value: #""2016-03-14""#, matches: false),
        Case(op: "IsTimestamp", operand: "true", value: "1457920740", matches: false),
        Case(op: "IsTimestamp", operand: "false", value: #""yesterday""#, matches: true),
        Case(op: "IsPresent", operand: "true", value: "null", matches: true),
        Case(op: "IsPresent", operand: "false", value: "null", matches: false),
    ]

    static func machine(rule: String) -> String {
        #"""
        {"StartAt":"C","States":{
          "C":{"Type":"Choice","Choices":[\#(rule)],"Default":"No"},
          "Yes":{"Type":"Pass","Result":"yes","End":true},
          "No":{"Type":"Pass","Result":"no","End":true}}}
        """#
    }

    static func outcome(_ rule: String, input: String) async throws -> String? {
        let snapshot = try await Harness.run(machine(rule: rule), inputJSON: input)
        #expect(snapshot.status == .succeeded, "\(snapshot.error ?? "") \(snapshot.cause ?? "")")
        return snapshot.output?.stringValue
    }

    @Test("Each comparison operator with a literal operand", arguments: comparisons)
    func literalOperand(_ c: Case) async throws {
        let rule = #"{"Variable":"$.v","\#(c.op)":\#(c.operand),"Next":"Yes"}"#
        #expect(try await Self.outcome(rule, input: #"{"v":\#(c.value)}"#) == (c.matches ? "yes" : "no"))
    }

    @Test("Each comparison operator's *Path twin reads the operand from the input", arguments: comparisons.filter { $0.op != "StringMatches" })
    func pathOperand(_ c: Case) async throws {
        let rule = #"{"Variable":"$.v","\#(c.op)Path":"$.other","Next":"Yes"}"#
        #expect(try await Self.outcome(rule, input: #"{"v":\#(c.value),"other":\#(c.operand)}"#) == (c.matches ? "yes" : "no"))
    }

    @Test("Type tests IsNull, IsNumeric, IsString, IsBoolean, IsTimestamp, IsPresent", arguments: typeTests)
    func typeTest(_ c: Case) async throws {
        let rule = #"{"Variable":"$.v","\#(c.op)":\#(c.operand),"Next":"Yes"}"#
        #expect(try await Self.outcome(rule, input: #"{"v":\#(c.value)}"#) == (c.matches ? "yes" : "no"))
    }

    @Test("IsPresent false matches when the Variable path does not exist")
    func isPresentMissing() async throws {
        #expect(try await Self.outcome(#"{"Variable":"$.missing","IsPresent":false,"Next":"Yes"}"#, input: "{}") == "yes")
        #expect(try await Self.outcome(#"{"Variable":"$.missing","IsPresent":true,"Next":"Yes"}"#, input: "{}") == "no")
    }

    @Test("A comparison on a Variable path that does not exist fails the execution with States.Runtime")
    func missingVariable() async throws {
        let snapshot = try await Harness.run(Self.machine(rule: #"{"Variable":"$.missing","StringEquals":"x","Next":"Yes"}"#), inputJSON: "{}")
        expectFailed(snapshot, error: "States.Runtime")
        #expect(snapshot.cause?.contains("$.missing") == true)
    }

    @Test("AWS docs example: Not, NumericEquals and And choose the first matching rule, else Default")
    func docsExample() async throws {
        let definition = #"""
            {"StartAt":"ChoiceStateX","States":{
              "ChoiceStateX":{"Type":"Choice","Choices":[
                {"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"},
                {"Variable":"$.value","NumericEquals":0,"Next":"ValueIsZero"},
                {"And":[{"Variable":"$.value","NumericGreaterThanEquals":20},{"Variable":"$.value","NumericLessThan":30}],"Next":"ValueInTwenties"}
              ],"Default":"DefaultState"},
              "Public":{"Type":"Pass","Result":"Public","End":true},
              "ValueIsZero":{"Type":"Pass","Result":"ValueIsZero","End":true},
              "ValueInTwenties":{"Type":"Pass","Result":"ValueInTwenties","End":true},
              "DefaultState":{"Type":"Fail","Error":"DefaultStateError","Cause":"No Matches!"}}}
            """#
        func run(_ input: String) async throws -> ExecutionSnapshot { try await Harness.run(definition, inputJSON: input) }
        #expect(try await run(#"{"type":"Public","value":0}"#).output?.stringValue == "Public")
        #expect(try await run(#"{"type":"Private","value":0}"#).output?.stringValue == "ValueIsZero")
        #expect(try await run(#"{"type":"Private","value":25}"#).output?.stringValue == "ValueInTwenties")
        let unmatched = try await run(#"{"type":"Private","value":35}"#)
        expectFailed(unmatched, error: "DefaultStateError", cause: "No Matches!")
    }

    @Test("Or matches when any rule matches; nested Not inside Or inside And")
    func nesting() async throws {
        let rule = #"""
            {"And":[
              {"Or":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.a","NumericEquals":2}]},
              {"Not":{"Or":[{"Variable":"$.b","IsNull":true},{"Variable":"$.b","StringEquals":"skip"}]}}
            ],"Next":"Yes"}
            """#
        #expect(try await Self.outcome(rule, input: #"{"a":2,"b":"go"}"#) == "yes")
        #expect(try await Self.outcome(rule, input: #"{"a":3,"b":"go"}"#) == "no")
        #expect(try await Self.outcome(rule, input: #"{"a":1,"b":null}"#) == "no")
        #expect(try await Self.outcome(rule, input: #"{"a":1,"b":"skip"}"#) == "no")
    }

    @Test("Without Default, no matching rule fails with States.NoChoiceMatched")
    func noChoiceMatched() async throws {
        let definition = #"""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":1,"Next":"Yes"}]},
              "Yes":{"Type":"Succeed"}}}
            """#
        let snapshot = try await Harness.run(definition, inputJSON: #"{"v":2}"#)
        expectFailed(snapshot, error: "States.NoChoiceMatched")
        #expect(snapshot.eventTypes == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"])
    }

    @Test("Choice passes its input unchanged to the chosen state; InputPath/OutputPath apply")
    func choicePassesInput() async throws {
        let definition = #"""
            {"StartAt":"C","States":{
              "C":{"Type":"Choice","InputPath":"$.x","OutputPath":"$.y","Choices":[{"Variable":"$.y.k","IsPresent":true,"Next":"Done"}]},
              "Done":{"Type":"Succeed"}}}
            """#
        let snapshot = try await Harness.run(definition, inputJSON: #"{"x":{"y":{"k":1}}}"#)
        expectSucceeded(snapshot, output: #"{"k":1}"#)
        #expect(snapshot.eventTypes == ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"])
    }

    @Test("Variable can read the context object ($$)")
    func contextVariable() async throws {
        #expect(try await Self.outcome(#"{"Variable":"$$.State.Name","StringEquals":"C","Next":"Yes"}"#, input: "{}") == "yes")
    }
}
