import StepLocalJSON

/// Renders a value the way Java's `toString` does, which is what `States.Format` prints for
/// non-string arguments on AWS: `{Arg1=1, Arg2=[]}` for objects, `[1, 2]` for arrays, bare strings
/// inside containers, `null` for null (AWS conformance: test_format_2, test_format_1).
enum JavaText {
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.text
        case .string(let s): s
        case .array(let items): "[" + items.map(render).joined(separator: ", ") + "]"
        case .object(let object): "{" + object.map { "\($0.key)=\(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// Java's `Math.round`: halves round toward positive infinity (`-2.5` → `-2`, `2.5` → `3`),
    /// as AWS's MathAdd shows (conformance test_math_add).
    static func round(_ value: Double) -> Double {
        (value + 0.5).rounded(.down)
    }

    /// Java's `String.hashCode` over UTF-16 code units.
    static func hashCode(_ s: String) -> Int32 {
        var h: Int32 = 0
        for unit in s.utf16 { h = h &* 31 &+ Int32(unit) }
        return h
    }
}
