import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// AWS's quotas on workflow variables: a single variable and a single Assign field hold at most
/// 256 KiB, and all variables of an execution at most 10 MiB. A state that breaks one fails with
/// States.DataLimitExceeded, which `States.ALL` does not catch.
@Suite("Variable size limits")
struct VariableLimitsTests {
    /// A JSON string value of `bytes` bytes once serialized (quotes included).
    static func blob(_ bytes: Int) -> String { "\"" + String(repeating: "a", count: bytes - 2) + "\"" }

    @Test("a variable of exactly 256 KiB is kept; one byte more fails the state")
    func singleVariable() async throws {
        let fits = try await Harness.run(Harness.single(#"{"Type":"Pass","Assign":{"big":\#(Self.blob(262_144))},"End":true}"#))
        #expect(fits.status == .succeeded)
        let over = try await Harness.run(Harness.single(#"{"Type":"Pass","Assign":{"big":\#(Self.blob(262_145))},"End":true}"#))
        expectFailed(over, error: "States.DataLimitExceeded")
        #expect(over.cause?.contains("'big'") == true)
    }

    @Test("two variables of 150 KB each are too much for one Assign field, but fine in two states")
    func combinedAssign() async throws {
        let half = Self.blob(150_000)
        let together = try await Harness.run(Harness.single(#"{"Type":"Pass","Assign":{"x":\#(half),"y":\#(half)},"End":true}"#))
        expectFailed(together, error: "States.DataLimitExceeded")
        #expect(together.cause?.contains("combined size") == true)
        let apart = try await Harness.run(
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":\#(half)},"Next":"B"},"B":{"Type":"Pass","Assign":{"y":\#(half)},"End":true}}}"#)
        #expect(apart.status == .succeeded)
    }

    @Test("an execution keeps at most 10 MiB of variables, and States.ALL does not catch the failure")
    func executionTotal() async throws {
        // 41 states each keep a new 250 KB variable: the 42nd would pass 10 MiB.
        let chunk = Self.blob(250_000)
        var states: [String] = []
        for i in 0..<42 {
            let next = i == 41 ? #""End":true"# : #""Next":"S\#(i + 1)""#
            states.append(#""S\#(i)":{"Type":"Pass","Assign":{"v\#(i)":\#(chunk)},\#(next)}"#)
        }
        let definition = #"{"StartAt":"S0","States":{\#(states.joined(separator: ","))}}"#
        let snapshot = try await Harness.run(definition)
        expectFailed(snapshot, error: "States.DataLimitExceeded")
        #expect(snapshot.cause?.contains("10 MiB") == true)
        #expect(snapshot.cause?.contains("'S41'") == true)

        let caught = try await Harness.run(
            #"{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Assign":{"big":\#(Self.blob(300_000))},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}],"End":true},"Handled":{"Type":"Succeed"}}}"#)
        expectFailed(caught, error: "States.DataLimitExceeded")
    }
}
