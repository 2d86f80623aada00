/// Which invocations of a Task state one mocked response entry answers: `"0"` is the first
/// call, `"1-2"` the second and third. Step Functions Local writes them as object keys.
public struct InvocationRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let lower: Int
    public let upper: Int

    public init(_ lower: Int, _ upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    /// Parses `"3"` or `"1-2"`; nil for anything else (negative, reversed, not a number).
    public init?(key: String) {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            let first = parts.first.flatMap({ Int($0) }), first >= 0, parts[0].allSatisfy(\.isNumber)
        else { return nil }
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isNumber), let last = Int(parts[1]), last >= first else { return nil }
            self.init(first, last)
        } else {
            self.init(first, first)
        }
    }

    public func contains(_ invocation: Int) -> Bool { (lower...upper).contains(invocation) }

    public func overlaps(_ other: InvocationRange) -> Bool { lower <= other.upper && other.lower <= upper }

    public static func < (lhs: InvocationRange, rhs: InvocationRange) -> Bool { lhs.lower < rhs.lower }

    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
}
