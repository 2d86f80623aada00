/// The executions of each listing (a state machine, one of its versions, one of its aliases) in
/// start order, so ListExecutions reads a page by binary search and a short walk instead of
/// scanning and sorting every execution of the server (1.7–2.8 s a page at 100,000 executions).
/// It also keeps all executions oldest first, the order `--max-executions` evicts in.
///
/// Entries are only appended (sequence numbers grow); removals leave the entry behind, and a
/// listing is compacted once more than half of it is gone, so every change is amortised O(1).
/// An entry is live while the table still holds an execution with its ARN **and** sequence (an
/// ARN can be reused once its execution is gone).
struct ExecutionIndex: Sendable {
    struct Entry: Sendable {
        var sequence: Int
        var arn: String
    }

    private struct Listing: Sendable {
        var entries: [Entry] = []
        /// Entries at the front already known to be gone (not yet dropped from `entries`).
        var skipped = 0
        var removed = 0
    }

    private var listings: [String: Listing] = [:]
    /// Every execution, oldest first (the eviction order).
    private var all = Listing()

    /// Records an execution started after every one recorded before, under each of its listings.
    mutating func add(_ entry: Entry, listings keys: [String]) {
        all.entries.append(entry)
        for key in keys { listings[key, default: Listing()].entries.append(entry) }
    }

    /// Notes that an execution recorded under `keys` is gone; compacts a listing once most of it is.
    mutating func remove(listings keys: [String], isLive: (Entry) -> Bool) {
        Self.noteRemoval(in: &all, isLive: isLive)
        for key in keys {
            guard var listing = listings.removeValue(forKey: key) else { continue }
            Self.noteRemoval(in: &listing, isLive: isLive)
            if !listing.entries.isEmpty { listings[key] = listing }
        }
    }

    private static func noteRemoval(in listing: inout Listing, isLive: (Entry) -> Bool) {
        listing.removed += 1
        if listing.removed > 32, listing.removed * 2 > listing.entries.count - listing.skipped {
            listing.entries = listing.entries[listing.skipped...].filter(isLive)
            listing.skipped = 0
            listing.removed = 0
        }
    }

    /// Walks `key`'s executions newest first, starting just below sequence `before` (all when
    /// nil), and returns up to `limit` entries that `include` accepts, plus whether another
    /// accepted entry follows them. Costs O(log n) plus the entries walked.
    func newestFirst(_ key: String, before: Int?, limit: Int, include: (Entry) -> Bool) -> (entries: [Entry], more: Bool) {
        guard let listing = listings[key] else { return ([], false) }
        let entries = listing.entries
        var index = entries.count
        if let before {
            var low = listing.skipped
            while low < index {
                let middle = (low + index) / 2
                if entries[middle].sequence < before { low = middle + 1 } else { index = middle }
            }
        }
        var page: [Entry] = []
        while index > listing.skipped {
            index -= 1
            guard include(entries[index]) else { continue }
            if page.count == limit { return (page, true) }
            page.append(entries[index])
        }
        return (page, false)
    }

    /// The oldest live executions that `accept` takes, at most `limit` of them (eviction's walk).
    /// Entries at the front that are gone are dropped for good as the walk passes them.
    mutating func oldest(_ limit: Int, isLive: (Entry) -> Bool, accept: (Entry) -> Bool) -> [Entry] {
        var found: [Entry] = []
        var index = all.skipped
        while index < all.entries.count, found.count < limit {
            let entry = all.entries[index]
            index += 1
            if !isLive(entry) {
                if index - 1 == all.skipped {
                    all.skipped = index
                    all.removed = max(0, all.removed - 1)
                }
            } else if accept(entry) {
                found.append(entry)
            }
        }
        if all.skipped > 1024, all.skipped * 2 > all.entries.count {
            all.entries.removeFirst(all.skipped)
            all.skipped = 0
        }
        return found
    }
}
