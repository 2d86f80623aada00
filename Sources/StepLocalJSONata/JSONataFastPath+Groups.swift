import StepLocalJSON

/// Group-by in the fast path (`items{sku: price}`): a path's result grouped by each pair's key,
/// as the full evaluator's `evaluateGroup` does it.
extension JSONataFastCompiler {
    /// One key/value pair of a group-by, with in-place forms for object items.
    final class FastGroupPair: Sendable {
        let key: FastFn
        let keyRecord: RecordOperand?
        let value: FastFn
        let valueRecord: RecordOperand?

        init(key: @escaping FastFn, keyRecord: RecordOperand?, value: @escaping FastFn, valueRecord: RecordOperand?) {
            self.key = key
            self.keyRecord = keyRecord
            self.value = value
            self.valueRecord = valueRecord
        }
    }

    /// Groups a value's items: each pair's key is evaluated on every item (a string, or undefined
    /// to skip; anything else bails, the full evaluator's T1003), items with the same key are
    /// collected (the same key from two pairs bails: D1009), then each group's value expression
    /// is evaluated on its item, or on the array of its items when there are several. Undefined
    /// values leave their key out. Array items bail (the full evaluator flattens them).
    static func compileGroup(
        _ group: JSONataGroup, level: Int, context: inout FastCompileContext
    ) -> (@Sendable (JSONValue?, JSONataFastState) throws(JSONataFastBail) -> JSONValue)? {
        var pairs: [FastGroupPair] = []
        for (k, v) in group.pairs {
            guard let key = compile(k, level: level + 3, context: &context),
                  let value = compile(v, level: level + 3, context: &context)
            else { return nil }
            pairs.append(FastGroupPair(
                key: key, keyRecord: compileRecordOperand(k, level: level + 3, context: &context),
                value: value, valueRecord: compileRecordOperand(v, level: level + 3, context: &context)))
        }
        let compiled = pairs
        // Keys and values that are members of the item (`sku: price`), the usual case: read in
        // place, without going through the pair's class and operand enum per item.
        func field(_ operand: RecordOperand?) -> (name: String, hint: Int)? {
            if case .field(let name, let hint)? = operand { return (name, hint) }
            return nil
        }
        let keyFields = pairs.map { field($0.keyRecord) }
        let valueFields = pairs.map { field($0.valueRecord) }
        return { value, st throws(JSONataFastBail) in
            try st.tick()
            let items: [JSONValue]
            switch value {
            case nil: items = [undefinedContext]
            case .array(let a)?: items = a
            case let v?: items = [v]
            }
            // Per group: its key, then the pair that made it and its first item; the items of a
            // group of several, in item order, once it has a second.
            var keys: [String] = []
            var groups: [(pair: Int, first: Int)] = []
            keys.reserveCapacity(items.count)
            groups.reserveCapacity(items.count)
            var several: [Int: [JSONValue]] = [:]
            var table = FastKeyTable(expected: items.count * compiled.count)
            try items.withUnsafeBufferPointer { (items) throws(JSONataFastBail) in
                for index in items.indices {
                    if case .array = items[index] { throw JSONataFastBail() }
                    for pi in compiled.indices {
                        try st.tick()
                        let key: JSONValue?
                        if case .object(let o) = items[index] {
                            if let (name, hint) = keyFields[pi] {
                                // (A string key, the only kind kept, needs no normalising.)
                                key = o.value(forKey: name, hint: &st.hints[hint])
                            } else if let record = compiled[pi].keyRecord {
                                key = try record.evaluate(o, st)
                            } else {
                                key = try compiled[pi].key(items[index], st)
                            }
                        } else {
                            key = try compiled[pi].key(normalize(items[index]), st)
                        }
                        guard let key else { continue }
                        guard case .string(let k) = key else { throw JSONataFastBail() }
                        let group = try table.group(of: k, keys: &keys, st)
                        if group == groups.count {
                            groups.append((pi, index))
                        } else {
                            if groups[group].pair != pi { throw JSONataFastBail() }
                            several[group, default: [normalize(items[groups[group].first])]].append(normalize(items[index]))
                        }
                    }
                }
            }
            return .object(try JSONObject(uncheckedUniqueKeys: keys) { (g) throws(JSONataFastBail) -> JSONValue? in
                try st.tick()
                let (pi, first) = groups[g]
                if !several.isEmpty, let members = several[g] { return try compiled[pi].value(.array(members), st) }
                if case .object(let o) = items[first] {
                    if let (name, hint) = valueFields[pi] {
                        guard let v = o.value(forKey: name, hint: &st.hints[hint]) else { return nil }
                        return normalize(v)
                    }
                    if let record = compiled[pi].valueRecord { return try record.evaluate(o, st) }
                }
                return try compiled[pi].value(normalize(items[first]), st)
            })
        }
    }
}

/// The group keys seen so far in one group-by, by string: open addressing over
/// ``StringKeyHash``, far cheaper than `Hasher` on the short keys groups have. Every probe
/// past the first counts as work (``JSONataFastState/tick(_:)``), so keys made to collide run
/// out the budget and bail to the full evaluator rather than going quadratic.
struct FastKeyTable {
    /// Per slot: the group number plus one in the low 32 bits (0: empty), the key's hash's high
    /// 32 bits above, compared before the strings are.
    private var slots: [UInt64]
    private let mask: Int
    /// ``processSeed``, kept here so that hashing a key does not go through the global's lazy
    /// initialisation.
    private let seed: UInt64

    /// Per-process seed: which keys collide cannot be known in advance.
    private static let processSeed = StringKeyHash.randomSeed()

    init(expected: Int) {
        var size = 8
        while size < expected * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        seed = FastKeyTable.processSeed
    }

    /// The group of `key`; a new key is appended to `keys` and gets the next group number.
    @inline(__always)
    mutating func group(of key: String, keys: inout [String], _ st: JSONataFastState) throws(JSONataFastBail) -> Int {
        let hash = StringKeyHash.hash(key, seed: seed)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = self.mask
        var i = Int(truncatingIfNeeded: hash) & mask
        return try slots.withUnsafeMutableBufferPointer { (buf) throws(JSONataFastBail) -> Int in
            while true {
                let slot = buf[i]
                let g = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF)
                if g == 0 {
                    if keys.count >= Int(UInt32.max) { throw JSONataFastBail() }
                    keys.append(key)
                    buf[i] = tag | UInt64(keys.count)
                    return keys.count - 1
                }
                if slot & 0xFFFF_FFFF_0000_0000 == tag, keys[g - 1] == key { return g - 1 }
                try st.tick()
                i = (i + 1) & mask
            }
        }
    }
}
