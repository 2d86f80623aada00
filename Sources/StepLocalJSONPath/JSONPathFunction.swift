import StepLocalJSON

/// A Jayway path function (`$.items.length()`), applied to the value the path reached.
enum JSONPathFunction: String, Sendable, Hashable, CaseIterable {
    case length, size, min, max, avg, sum, stddev, keys, first, last

    /// The function's result, or nil when it doesn't apply to `value` (Jayway then yields no result).
    func apply(to value: JSONValue) -> JSONValue? {
        switch self {
        case .length, .size:
            switch value {
            case .array(let a): return .int(a.count)
            case .object(let o): return .int(o.count)
            case .string(let s) where self == .length: return .int(s.utf16.count)
            default: return nil
            }
        case .keys:
            guard case .object(let o) = value else { return nil }
            return .array(o.keys.map { .string($0) })
        case .first:
            guard case .array(let a) = value else { return nil }
            return a.first
        case .last:
            guard case .array(let a) = value else { return nil }
            return a.last
        case .min, .max, .avg, .sum, .stddev:
            guard case .array(let a) = value else { return nil }
            let numbers = a.compactMap { $0.numberValue?.doubleValue }
            guard !numbers.isEmpty else { return nil }
            let result: Double
            switch self {
            case .min: result = numbers.min()!
            case .max: result = numbers.max()!
            case .sum: result = numbers.reduce(0, +)
            case .avg: result = numbers.reduce(0, +) / Double(numbers.count)
            default:
                let mean = numbers.reduce(0, +) / Double(numbers.count)
                result = (numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count)).squareRoot()
            }
            return .number(Self.javaDouble(result))
        }
    }

    /// Jayway's aggregations return Java `Double`s, which print with a `.0` (`6.0`, not `6`).
    static func javaDouble(_ d: Double) -> JSONNumber {
        guard d.isFinite else { return .double(d) }
        if d.rounded(.towardZero) == d, abs(d) < 1e7 {
            return .literal(String(Int64(d)) + ".0", d)
        }
        return .double(d)
    }
}
