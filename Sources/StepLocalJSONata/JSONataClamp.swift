/// Saturating Double→integer conversion: JSONata numbers are doubles, and a plain `Int(x)` traps on
/// NaN or huge values, which would let an expression crash the host.
enum JSONataClamp {
    static func int(_ d: Double) -> Int {
        if d.isNaN { return 0 }
        if d >= 9.2e18 { return Int.max / 2 }
        if d <= -9.2e18 { return Int.min / 2 }
        return Int(d)
    }

    static func int64(_ d: Double) -> Int64 {
        Int64(int(d))
    }
}
