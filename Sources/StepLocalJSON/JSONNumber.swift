/// A JSON number that prints back the way AWS prints it.
///
/// Step Functions (Java/Jackson underneath) keeps integers exact (`10000000000000001` is not
/// rounded through a double) and echoes non-integer literals as written (`1.50` stays `1.50`).
/// Integers that fit 64 bits are stored exactly; other literals keep their text next to the
/// parsed double; computed doubles print in the shortest round-tripping form.
public enum JSONNumber: Sendable {
    /// An integer that fits in 64 bits, exact.
    case int(Int64)
    /// A computed floating-point value.
    case double(Double)
    /// A literal from input text that is not a 64-bit integer, kept as written for output.
    case literal(String, Double)

    @inlinable
    public init(_ value: Double) {
        if value.rounded(.towardZero) == value, abs(value) < 9.0e15 {
            self = .int(Int64(value))
        } else {
            self = .double(value)
        }
    }

    public init(_ value: Int) { self = .int(Int64(value)) }

    public var doubleValue: Double {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        case .literal(_, let d): d
        }
    }

    /// The value as an exact integer, when it is one (`2.0` counts, as in AWS's integer checks).
    public var intValue: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d), .literal(_, let d):
            guard d.isFinite, d.rounded(.towardZero) == d, abs(d) < 9.2e18 else { return nil }
            return Int(d)
        }
    }

    /// True when the number is mathematically an integer.
    public var isInteger: Bool {
        switch self {
        case .int: return true
        case .double(let d), .literal(_, let d): return d.isFinite && d.rounded(.towardZero) == d
        }
    }

    /// The text AWS prints for this number.
    public var text: String {
        switch self {
        case .int(let i): return String(i)
        case .literal(let s, _): return s
        case .double(let d): return JSONNumber.format(d)
        }
    }

    /// Shortest round-tripping text of a double, without exponent for everyday magnitudes.
    public static func format(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d.rounded(.towardZero) == d, abs(d) < 1e16 { return String(Int64(d)) }
        var s = "\(d)"
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}

extension JSONNumber: Hashable {
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if case .int(let a) = lhs, case .int(let b) = rhs { return a == b }
        return lhs.doubleValue == rhs.doubleValue
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(doubleValue)
    }
}

extension JSONNumber: Comparable {
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if case .int(let a) = lhs, case .int(let b) = rhs { return a < b }
        return lhs.doubleValue < rhs.doubleValue
    }
}
