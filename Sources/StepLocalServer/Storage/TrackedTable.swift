/// A dictionary of records that remembers which keys were written since it was last asked.
/// The `--data-dir` store writes exactly those records after each transaction; in memory nobody
/// asks and the set of keys stays empty (``tracksChanges`` is false).
struct TrackedTable<Record: Sendable>: Sendable {
    private(set) var records: [String: Record] = [:]
    /// Keys set or removed since ``takeChangedKeys()``.
    private var changedKeys: Set<String> = []
    /// Whether writes are remembered at all (only a persistent store needs them).
    var tracksChanges = false

    subscript(key: String) -> Record? {
        get { records[key] }
        set {
            records[key] = newValue
            if tracksChanges { changedKeys.insert(key) }
        }
    }

    @discardableResult
    mutating func removeValue(forKey key: String) -> Record? {
        if tracksChanges { changedKeys.insert(key) }
        return records.removeValue(forKey: key)
    }

    var values: Dictionary<String, Record>.Values { records.values }

    var count: Int { records.count }

    /// The keys written since the last call; the store reads their records (nil: removed).
    mutating func takeChangedKeys() -> Set<String> {
        defer { changedKeys = [] }
        return changedKeys
    }

    /// Puts a record back as a store kept it, without remembering it as a change.
    mutating func restore(_ record: Record, forKey key: String) {
        records[key] = record
    }
}
