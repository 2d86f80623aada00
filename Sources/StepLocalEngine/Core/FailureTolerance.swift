/// A Map state's ToleratedFailureCount and ToleratedFailurePercentage, and the one rule both the
/// inline Map and a Distributed Map's Map Run judge failures by: without either field any failure
/// fails the Map; with them, it fails once failures pass the count, or their share of all items
/// passes the percentage.
struct FailureTolerance: Sendable, Equatable {
    var count: Int?
    var percentage: Double?

    /// Whether any tolerance was given (the Map then fails with States.ExceedToleratedFailureThreshold).
    var isSet: Bool { count != nil || percentage != nil }

    func isExceeded(failures: Int, of total: Int) -> Bool {
        guard isSet else { return failures > 0 }
        if let count, failures > count { return true }
        if let percentage, Double(failures) * 100 / Double(max(total, 1)) > percentage { return true }
        return false
    }
}
