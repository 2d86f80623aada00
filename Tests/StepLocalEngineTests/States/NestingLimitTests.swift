import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// A loop that wraps its value once per turn would build, turn after turn, a payload deeper than
/// any walk over it (history serialisation, comparison, release) can follow on a thread's stack.
/// Payloads may nest 512 levels (what the JSON parser reads); a state whose output or variable
/// goes past that fails with States.Runtime instead of taking the process down.
@Suite("Payload nesting limit")
struct NestingLimitTests {
    static let wrappingLoop = #"""
    {"StartAt":"Init","States":{
      "Init":{"Type":"Pass","Parameters":{"n":0,"v":{}},"Next":"Wrap"},
      "Wrap":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)","v":{"a.$":"$.v"}},"Next":"Check"},
      "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":100000,"Next":"Wrap"}],"Default":"Done"},
      "Done":{"Type":"Succeed"}}}
    """#

    @Test("A Parameters loop wrapping its input fails once the output passes 512 levels")
    func wrappingOutput() async throws {
        let snapshot = try await Harness.run(Self.wrappingLoop)
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.Runtime")
        #expect(snapshot.cause?.hasSuffix("The output of state 'Wrap' is nested more than 512 levels deep.") == true)
        // Wrap ran 511 times (Init's output is 2 levels deep, each turn adds one) before it failed.
        #expect(snapshot.history.filter { $0.type == "PassStateEntered" && $0.details["name"]?.stringValue == "Wrap" }.count == 511)
    }

    @Test("A variable wrapped once per turn fails at 512 levels")
    func wrappingVariable() async throws {
        let snapshot = try await Harness.run(#"""
        {"QueryLanguage":"JSONata","StartAt":"Wrap","States":{
          "Wrap":{"Type":"Pass","Assign":{"v":"{% {'a': $exists($v) ? $v : 0} %}","n":"{% $exists($n) ? $n + 1 : 1 %}"},"Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Condition":"{% $n < 100000 %}","Next":"Wrap"}],"Default":"Done"},
          "Done":{"Type":"Succeed"}}}
        """#)
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.Runtime")
        #expect(snapshot.cause?.hasSuffix("The variable 'v' assigned by state 'Wrap' is nested more than 512 levels deep.") == true)
    }

    @Test("A deep ResultPath around a deep result adds their depths and is checked too")
    func resultPathGrowth() async throws {
        let path = "$" + String(repeating: ".a", count: 450)
        let result = String(repeating: #"{"b":"#, count: 100) + "1" + String(repeating: "}", count: 100)
        let definition = #"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":\#(result),"ResultPath":"\#(path)","End":true}}}"#
        let snapshot = try await Harness.run(definition)
        #expect(snapshot.status == .failed)
        #expect(snapshot.cause?.hasSuffix("The output of state 'A' is nested more than 512 levels deep.") == true)
    }
}
