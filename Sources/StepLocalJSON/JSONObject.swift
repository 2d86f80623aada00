/// An object's members in the order they were written: AWS echoes keys back in input order, so an
/// unordered dictionary would change every output users compare against.
///
/// Why not `OrderedDictionary`: JSON objects are copied far more than they are mutated (matched
/// out of a ``JSONValue``, read, passed on), and an `OrderedDictionary` is three buffers, so every
/// copy costs three reference-count operations and every new object two or three allocations.
/// This is one copy-on-write buffer holding the members inline: a copy is one retain, a new
/// object one allocation, and a lookup in a small object a scan of adjacent keys. Objects with more
/// than ``indexThreshold`` members also keep a hash index, so lookups stay O(1) for big inputs.
///
/// The API is the part of `OrderedDictionary`'s the project uses, with the same meaning
/// (including order-sensitive equality and hashing).
public struct JSONObject: Sendable {
    @usableFromInline nonisolated(unsafe) var storage: JSONObjectStorage

    /// Members above which a hash index is kept next to the ordered members.
    public static let indexThreshold = 12

    @inlinable
    public init() { storage = JSONObjectStorage.empty }

    @inlinable
    public init(minimumCapacity: Int) {
        storage = minimumCapacity == 0 ? JSONObjectStorage.empty : JSONObjectStorage.make(capacity: minimumCapacity)
    }

    /// Members from parallel key and value arrays; the keys must be distinct (not checked).
    @inlinable
    public init(uncheckedUniqueKeys keys: [String], values: [JSONValue]) {
        precondition(keys.count == values.count, "JSONObject: as many values as keys")
        self.init(uncheckedUniqueKeys: keys) { values[$0] }
    }

    /// Members for distinct keys (not checked), in their order, each with the value `value(i)`
    /// gives for `keys[i]`, leaving out the keys it gives `nil` for: one allocation, no lookups.
    @inlinable
    public init<Failure: Error>(uncheckedUniqueKeys keys: [String], valueAt value: (Int) throws(Failure) -> JSONValue?) throws(Failure) {
        let count = keys.count
        storage = count == 0 ? JSONObjectStorage.empty : JSONObjectStorage.make(capacity: count)
        // (The index, if one is needed, is built once at the end rather than member by member.)
        for i in 0..<count {
            if let v = try value(i) { storage.appendUnindexed(keys[i], v) }
        }
        if storage.count > JSONObject.indexThreshold { storage.rebuildIndex() }
    }

    /// Members from key-value pairs; a repeated key is a programming error, as in `Dictionary`.
    public init(uniqueKeysWithValues pairs: some Sequence<(String, JSONValue)>) {
        self.init(pairs: Array(pairs), repeatedKeys: .trap)
    }

    @inlinable
    public var count: Int { storage.count }

    @inlinable
    public var isEmpty: Bool { storage.count == 0 }

    /// The position of `key` among the members, if present.
    @inlinable
    public func index(forKey key: String) -> Int? { storage.find(key) }

    /// The member named `key`, looked for first at position `hint` (`0...`), which is set to where
    /// it was found: reading the same member of many objects of one shape skips the search.
    @inlinable @inline(__always)
    public func value(forKey key: String, hint: inout Int) -> JSONValue? {
        guard let i = storage.find(key, hint: &hint) else { return nil }
        return storage.withUnsafeMutablePointerToElements { $0[i].value }
    }

    /// The member named `key`; setting `nil` removes it, setting a new key appends it.
    @inlinable
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = storage.find(key) else { return nil }
            return storage.withEntries { $0[i].value }
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    @inlinable
    public subscript(key: String, default defaultValue: @autoclosure () -> JSONValue) -> JSONValue {
        get { self[key] ?? defaultValue() }
        set { updateValue(newValue, forKey: key) }
    }

    /// Sets the member, returning the value it replaced (`nil` when the key was new and appended).
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let i = storage.find(key) {
            makeUnique(extra: 0)
            return storage.withMutableEntries { entries in
                let old = entries[i].value
                entries[i].value = value
                return old
            }
        }
        appendNew(key, value)
        return nil
    }

    /// Removes the member, keeping the others in order.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let i = storage.find(key) else { return nil }
        return remove(at: i).value
    }

    /// Removes the member at `index`, keeping the others in order.
    @discardableResult
    public mutating func remove(at index: Int) -> (key: String, value: JSONValue) {
        precondition(index >= 0 && index < count, "JSONObject index out of range")
        makeUnique(extra: 0)
        let removed = storage.withUnsafeMutablePointers { header, entries in
            let removed = (entries + index).move()
            let after = header.pointee.count - index - 1
            if after > 0 { (entries + index).moveInitialize(from: entries + index + 1, count: after) }
            header.pointee.count -= 1
            return removed
        }
        storage.rebuildIndex()
        return (removed.key, removed.value)
    }

    public mutating func removeAll() { self = JSONObject() }

    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > storage.capacityInHeader { makeUnique(extra: minimumCapacity - count) }
    }

    /// Reorders the members; `areInIncreasingOrder` compares whole members.
    public mutating func sort(by areInIncreasingOrder: ((key: String, value: JSONValue), (key: String, value: JSONValue)) throws -> Bool) rethrows {
        let sorted = try self.sorted(by: areInIncreasingOrder)
        var result = JSONObject(minimumCapacity: sorted.count)
        for member in sorted { result.appendNew(member.key, member.value) }
        self = result
    }

    /// The members for which `isIncluded` is true, in order.
    public func filter(_ isIncluded: ((key: String, value: JSONValue)) throws -> Bool) rethrows -> JSONObject {
        var result = JSONObject()
        for member in self where try isIncluded(member) { result.appendNew(member.key, member.value) }
        return result
    }

    /// The same keys with transformed values.
    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var result = JSONObject(minimumCapacity: count)
        for member in self { result.appendNew(member.key, try transform(member.value)) }
        return result
    }

    /// Appends a member whose key is known not to be present.
    @inlinable
    mutating func appendNew(_ key: String, _ value: JSONValue) {
        makeUnique(extra: 1)
        storage.append(key, value)
    }

    /// Makes the storage this value's own, with room for `extra` more members.
    @inlinable
    mutating func makeUnique(extra: Int) {
        let needed = storage.count + extra
        if isKnownUniquelyReferenced(&storage) {
            if needed > storage.capacityInHeader { storage = storage.relocated(capacity: Swift.max(needed, storage.capacityInHeader * 2), moving: true) }
        } else {
            storage = storage.relocated(capacity: Swift.max(needed, extra > 0 ? storage.count * 2 : needed), moving: false)
        }
    }
}

// MARK: views

extension JSONObject: Sequence {
    public typealias Element = (key: String, value: JSONValue)

    public struct Iterator: IteratorProtocol {
        @usableFromInline let object: JSONObject
        @usableFromInline var position = 0

        @inlinable
        init(object: JSONObject) { self.object = object }

        @inlinable
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard position < object.count else { return nil }
            defer { position += 1 }
            return object.storage.withEntries { (key: $0[position].key, value: $0[position].value) }
        }
    }

    @inlinable
    public func makeIterator() -> Iterator { Iterator(object: self) }

    @inlinable
    public var underestimatedCount: Int { count }

    /// The members as a random-access collection (`elements[i]`).
    @inlinable
    public var elements: Elements { Elements(object: self) }

    /// The keys in order; `contains` uses the index.
    @inlinable
    public var keys: Keys { Keys(object: self) }

    /// The values in order.
    @inlinable
    public var values: Values { Values(object: self) }

    public struct Elements: RandomAccessCollection {
        @usableFromInline let object: JSONObject
        @inlinable init(object: JSONObject) { self.object = object }
        @inlinable public var startIndex: Int { 0 }
        @inlinable public var endIndex: Int { object.count }
        @inlinable
        public subscript(position: Int) -> (key: String, value: JSONValue) {
            precondition(position >= 0 && position < object.count, "JSONObject index out of range")
            return object.storage.withEntries { (key: $0[position].key, value: $0[position].value) }
        }
    }

    public struct Keys: RandomAccessCollection {
        @usableFromInline let object: JSONObject
        @inlinable init(object: JSONObject) { self.object = object }
        @inlinable public var startIndex: Int { 0 }
        @inlinable public var endIndex: Int { object.count }
        @inlinable
        public subscript(position: Int) -> String {
            precondition(position >= 0 && position < object.count, "JSONObject index out of range")
            return object.storage.withEntries { $0[position].key }
        }
        @inlinable
        public func contains(_ key: String) -> Bool { object.storage.find(key) != nil }
        @inlinable
        public func firstIndex(of key: String) -> Int? { object.storage.find(key) }
    }

    public struct Values: RandomAccessCollection {
        @usableFromInline let object: JSONObject
        @inlinable init(object: JSONObject) { self.object = object }
        @inlinable public var startIndex: Int { 0 }
        @inlinable public var endIndex: Int { object.count }
        @inlinable
        public subscript(position: Int) -> JSONValue {
            precondition(position >= 0 && position < object.count, "JSONObject index out of range")
            return object.storage.withEntries { $0[position].value }
        }
    }
}

extension JSONObject: Hashable {
    /// Same members in the same order, as `OrderedDictionary`'s equality.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        if lhs.storage === rhs.storage { return true }
        guard lhs.count == rhs.count else { return false }
        return lhs.storage.withEntries { l in
            rhs.storage.withEntries { r in
                for i in 0..<l.count where l[i].key != r[i].key || l[i].value != r[i].value { return false }
                return true
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for (key, value) in self {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// A repeated key is a programming error, as in `Dictionary` literals.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(pairs: elements, repeatedKeys: .trap)
    }
}

extension JSONObject {
    /// What building from pairs does with a key seen before.
    @usableFromInline
    enum RepeatedKeys {
        case trap
        /// The later value replaces the earlier one, which keeps its place (as JSON parsers do).
        case lastWins
    }

    /// Builds from pairs in one allocation (event details and other literals are built per state).
    @inlinable
    init(pairs: [(String, JSONValue)], repeatedKeys: RepeatedKeys) {
        storage = pairs.isEmpty ? JSONObjectStorage.empty : JSONObjectStorage.make(capacity: pairs.count)
        for (key, value) in pairs {
            if let i = storage.find(key) {
                precondition(repeatedKeys == .lastWins, "JSONObject: duplicate key '\(key)'")
                storage.withMutableEntries { $0[i].value = value }
            } else {
                storage.append(key, value)
            }
        }
    }
}

extension JSONObject: CustomStringConvertible {
    public var description: String { JSONValue.object(self).serialized() }
}

// MARK: storage

/// One member of a ``JSONObject``.
@usableFromInline
struct JSONObjectEntry {
    @usableFromInline var key: String
    @usableFromInline var value: JSONValue

    @inlinable
    init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

@usableFromInline
struct JSONObjectHeader {
    @usableFromInline var count: Int
    @usableFromInline var capacity: Int
    /// Key to position, present exactly when there are more than ``JSONObject/indexThreshold`` members.
    @usableFromInline var index: JSONObjectIndex?

    @inlinable
    init(capacity: Int) {
        count = 0
        self.capacity = capacity
        index = nil
    }
}

/// The members of a ``JSONObject``, inline after a header. Shared between copies and never
/// mutated while shared (``JSONObject/makeUnique(extra:)``), which is what makes it `Sendable`.
@usableFromInline
final class JSONObjectStorage: ManagedBuffer<JSONObjectHeader, JSONObjectEntry> {
    @usableFromInline nonisolated(unsafe) static let empty = JSONObjectStorage.make(capacity: 0)

    @inlinable
    static func make(capacity: Int) -> JSONObjectStorage {
        let buffer = JSONObjectStorage.create(minimumCapacity: capacity) { _ in JSONObjectHeader(capacity: capacity) }
        return unsafeDowncast(buffer, to: JSONObjectStorage.self)
    }

    /// (Read through the pointer: the `header` property is a class property, whose every access
    /// pays for a dynamic exclusivity check.)
    @inlinable
    var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    @inlinable
    var capacityInHeader: Int { withUnsafeMutablePointerToHeader { $0.pointee.capacity } }

    deinit {
        // (Member by member: `deinitialize(count:)` goes through the runtime's generic array destroy.)
        withUnsafeMutablePointers { header, entries in
            for i in 0..<header.pointee.count { (entries + i).deinitialize(count: 1) }
        }
    }

    @inlinable
    func withEntries<R>(_ body: (UnsafeBufferPointer<JSONObjectEntry>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointers { header, entries in try body(UnsafeBufferPointer(start: entries, count: header.pointee.count)) }
    }

    @inlinable
    func withMutableEntries<R>(_ body: (UnsafeMutableBufferPointer<JSONObjectEntry>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointers { header, entries in try body(UnsafeMutableBufferPointer(start: entries, count: header.pointee.count)) }
    }

    /// The position of `key`: a scan of the keys in small objects, the index in large ones.
    @inlinable @inline(__always)
    func find(_ key: String) -> Int? {
        withUnsafeMutablePointers { header, entries in
            let count = header.pointee.count
            // (The index exists exactly above the threshold; testing the count avoids copying
            // the optional index, a retain and a release, on every small-object lookup.)
            if count > JSONObject.indexThreshold { return findIndexed(key) }
            // Lengths first: inline for native strings, where `==` on two different short keys
            // calls into the runtime.
            let length = key.utf8.count
            for i in 0..<count where entries[i].key.utf8.count == length && entries[i].key == key { return i }
            return nil
        }
    }

    @usableFromInline
    func findIndexed(_ key: String) -> Int? {
        withUnsafeMutablePointers { header, entries in header.pointee.index.unsafelyUnwrapped.find(key, entries) }
    }

    /// The position of `key`, trying `hint` first (where the key was in the last object of the
    /// same shape), and updating it.
    @inlinable @inline(__always)
    func find(_ key: String, hint: inout Int) -> Int? {
        let h = hint
        let hit = withUnsafeMutablePointers { header, entries in
            h < header.pointee.count && entries[h].key == key
        }
        if hit { return h }
        guard let i = find(key) else { return nil }
        hint = i
        return i
    }

    /// Appends; the caller made sure the storage is unique and has room.
    @inlinable @inline(__always)
    func append(_ key: String, _ value: JSONValue) {
        let count = withUnsafeMutablePointers { header, entries in
            let position = header.pointee.count
            (entries + position).initialize(to: JSONObjectEntry(key: key, value: value))
            header.pointee.count = position + 1
            return position + 1
        }
        if count > JSONObject.indexThreshold { indexAppended(key, at: count - 1) }
    }

    /// Appends without keeping the index in step: the caller made sure the storage is unique and
    /// has room, and rebuilds the index (``rebuildIndex()``) once it has appended everything.
    @inlinable @inline(__always)
    func appendUnindexed(_ key: String, _ value: JSONValue) {
        withUnsafeMutablePointers { header, entries in
            let position = header.pointee.count
            (entries + position).initialize(to: JSONObjectEntry(key: key, value: value))
            header.pointee.count = position + 1
        }
    }

    /// Keeps the index in step with an append that took the object past the threshold.
    @usableFromInline
    func indexAppended(_ key: String, at position: Int) {
        withUnsafeMutablePointers { header, entries in
            if position + 1 > JSONObject.indexThreshold + 1 {
                header.pointee.index!.insert(key, at: position, entries)
            } else {
                // Sized for the whole storage: an object that keeps growing (a group-by, a
                // parsed document) then never rehashes until its storage does.
                header.pointee.index = Self.makeIndex(entries, count: position + 1, capacity: header.pointee.capacity)
            }
        }
    }

    /// Recomputes the index after members moved.
    @usableFromInline
    func rebuildIndex() {
        withUnsafeMutablePointers { header, entries in
            header.pointee.index = header.pointee.count > JSONObject.indexThreshold ? Self.makeIndex(entries, count: header.pointee.count) : nil
        }
    }

    @usableFromInline
    static func makeIndex(_ entries: UnsafeMutablePointer<JSONObjectEntry>, count: Int, capacity: Int = 0) -> JSONObjectIndex {
        JSONObjectIndex(entries, count: count, capacity: max(count, capacity))
    }

    /// A new storage with these members: copies, or, with `moving` (only for a unique storage),
    /// the members themselves, leaving this storage empty.
    @usableFromInline
    func relocated(capacity: Int, moving: Bool) -> JSONObjectStorage {
        let copy = JSONObjectStorage.make(capacity: capacity)
        withUnsafeMutablePointers { header, entries in
            copy.withUnsafeMutablePointers { newHeader, newEntries in
                let count = header.pointee.count
                if moving {
                    newEntries.moveInitialize(from: entries, count: count)
                    header.pointee.count = 0
                    newHeader.pointee.index = header.pointee.index.take()
                } else {
                    newEntries.initialize(from: entries, count: count)
                    newHeader.pointee.index = header.pointee.index
                }
                newHeader.pointee.count = count
            }
        }
        return copy
    }
}

/// The hash index of a large ``JSONObject``: key to position, by open addressing (linear
/// probing, at most half full) over ``StringKeyHash``, several times cheaper than `Hasher` and a
/// `[String: Int]` on the short keys objects have.
/// An insertion that has to probe more than ``maxProbes`` slots (keys made to collide) switches
/// the object to a `[String: Int]`, whose SipHash a caller cannot aim at, so collisions cost at
/// most that many probes each before lookups go back to being O(1).
@usableFromInline
struct JSONObjectIndex {
    /// Per slot: the member's position plus one in the low 32 bits (0: empty), the key's hash's
    /// high 32 bits above, compared before the keys are.
    @usableFromInline var slots: [UInt64]
    /// Used instead of `slots` once keys have collided too much.
    @usableFromInline var fallback: [String: Int]?
    /// ``seed``, kept here so that a lookup does not go through the global's lazy initialisation.
    @usableFromInline let seed: UInt64

    @usableFromInline static let maxProbes = 64

    /// Per-process seed: which keys collide cannot be known in advance.
    @usableFromInline static let processSeed = StringKeyHash.randomSeed()

    /// The index of the first `count` members, with slots for `capacity` (at least `count`).
    init(_ entries: UnsafeMutablePointer<JSONObjectEntry>, count: Int, capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        fallback = nil
        seed = Self.processSeed
        let seed = seed
        // (One access to the slots for all the keys, not one uniqueness check per key.)
        let placed = slots.withUnsafeMutableBufferPointer { buf in
            for i in 0..<count where !Self.place(entries[i].key, at: i, in: buf, seed: seed) { return false }
            return true
        }
        if !placed { switchToFallback(entries, count: count) }
    }

    /// The position of `key` among `entries`, if present.
    func find(_ key: String, _ entries: UnsafeMutablePointer<JSONObjectEntry>) -> Int? {
        if let fallback { return fallback[key] }
        let hash = StringKeyHash.hash(key, seed: seed)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { buf in
            let mask = buf.count - 1
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = buf[i]
                if slot == 0 { return nil }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    if entries[position].key == key { return position }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Adds a key known not to be present, at `position` (the last member of `entries`).
    mutating func insert(_ key: String, at position: Int, _ entries: UnsafeMutablePointer<JSONObjectEntry>) {
        if fallback != nil {
            fallback![key] = position
            return
        }
        if (position + 1) * 2 > slots.count {
            self = JSONObjectIndex(entries, count: position + 1, capacity: (position + 1) * 2)
            return
        }
        let seed = seed
        let placed = slots.withUnsafeMutableBufferPointer { Self.place(key, at: position, in: $0, seed: seed) }
        if !placed { switchToFallback(entries, count: position + 1) }
    }

    /// Puts `key` at `position` in the slots; false if that took more than ``maxProbes`` probes
    /// (or the position does not fit a slot).
    @inline(__always)
    private static func place(_ key: String, at position: Int, in buf: UnsafeMutableBufferPointer<UInt64>, seed: UInt64) -> Bool {
        guard position < Int(UInt32.max) else { return false }
        let hash = StringKeyHash.hash(key, seed: seed)
        let entry = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(position + 1)
        let mask = buf.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        for _ in 0..<maxProbes {
            if buf[i] == 0 {
                buf[i] = entry
                return true
            }
            i = (i + 1) & mask
        }
        return false
    }

    private mutating func switchToFallback(_ entries: UnsafeMutablePointer<JSONObjectEntry>, count: Int) {
        var index = [String: Int](minimumCapacity: count)
        for i in 0..<count { index[entries[i].key] = i }
        fallback = index
        slots = []
    }
}

/// A seeded hash of a string's UTF-8 for hash tables of short keys (object members, group-by
/// keys): the bytes read eight at a time (the last word and short keys by overlapping loads),
/// one multiply per word and one to finish. Not a defence against chosen collisions on its own:
/// its users bound their probing and fall back (``JSONObjectIndex``, the JSONata group-by).
public enum StringKeyHash {
    /// A fresh random seed (per process, per table: which keys collide cannot be known in advance).
    public static func randomSeed() -> UInt64 { UInt64.random(in: 1...UInt64.max) }

    @inlinable @inline(__always)
    public static func hash(_ key: String, seed: UInt64) -> UInt64 {
        if let h = key.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0), seed: seed) }) { return h }
        return Array(key.utf8).withUnsafeBytes { hash($0, seed: seed) }
    }

    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let k: UInt64 = 0xBF58_476D_1CE4_E5B9
        let n = bytes.count
        var h = seed ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
        if n > 0, let p = bytes.baseAddress {
            if n >= 8 {
                var i = 0
                while i + 8 < n {
                    h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
                    h ^= h >> 29
                    i += 8
                }
                h = (h ^ p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* k
            } else if n >= 4 {
                let low = UInt64(p.loadUnaligned(as: UInt32.self))
                let high = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
                h = (h ^ (low | high << 32)) &* k
            } else {
                let first = UInt64(p.load(as: UInt8.self)) << 16
                let middle = UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
                let last = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
                h = (h ^ (first | middle | last)) &* k
            }
        }
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }
}
