import StepLocalJSON
import Testing

@Suite("JSON objects keep members in written order, with value semantics")
struct JSONObjectTests {
    @Test("members stay in insertion order; updating a key keeps its place, removing keeps the rest in order")
    func order() {
        var object: JSONObject = ["b": 1, "a": 2]
        object["c"] = 3
        object["b"] = 10
        #expect(Array(object.keys) == ["b", "a", "c"])
        #expect(object.values.map(\.description) == ["10", "2", "3"])
        #expect(object.removeValue(forKey: "a") == 2)
        #expect(object.removeValue(forKey: "missing") == nil)
        #expect(Array(object.keys) == ["b", "c"])
        object["b"] = nil
        #expect(JSONValue.object(object).serialized() == #"{"c":3}"#)
    }

    @Test("a copy is independent of the original once either is changed")
    func copyOnWrite() {
        let original: JSONObject = ["k": "v"]
        var copy = original
        copy["k"] = "changed"
        copy["new"] = true
        #expect(original["k"] == "v")
        #expect(original.count == 1)
        #expect(copy["k"] == "changed")
        #expect(copy.count == 2)
        var emptyCopy = JSONObject()
        emptyCopy["x"] = 1
        #expect(JSONObject().isEmpty)
        #expect(emptyCopy.count == 1)
    }

    @Test("objects past the index threshold find, update and remove members by key")
    func largeObjects() {
        var object = JSONObject()
        let n = JSONObject.indexThreshold * 3
        for i in 0..<n { object["key\(i)"] = .int(i) }
        #expect(object.count == n)
        for i in 0..<n { #expect(object["key\(i)"] == .int(i)) }
        #expect(object["key\(n)"] == nil)
        let snapshot = object
        for i in stride(from: 0, to: n, by: 2) { object.removeValue(forKey: "key\(i)") }
        #expect(object.count == n / 2)
        for i in 0..<n { #expect(object["key\(i)"] == (i % 2 == 0 ? nil : .int(i))) }
        #expect(object.keys.first == "key1")
        #expect(snapshot.count == n)
        #expect(snapshot["key0"] == 0)
        object["key0"] = "back"
        #expect(object.keys.last == "key0")
    }

    @Test("equality and hashing follow member order, as for ordered dictionaries")
    func equality() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ab2 = JSONObject(uniqueKeysWithValues: [("a", JSONValue.int(1)), ("b", JSONValue.int(2))])
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab == ab2)
        #expect(ab.hashValue == ab2.hashValue)
        #expect(ab != ba)
        #expect(Set([JSONValue.object(ab), .object(ab2), .object(ba)]).count == 2)
    }

    @Test("a lookup hint is only a hint: a wrong or stale one still finds the member")
    func hints() {
        let first: JSONObject = ["sku": "A", "price": 5]
        let second: JSONObject = ["price": 7, "sku": "B", "qty": 1]
        var hint = 0
        #expect(first.value(forKey: "price", hint: &hint) == 5)
        #expect(hint == 1)
        #expect(second.value(forKey: "price", hint: &hint) == 7)
        #expect(hint == 0)
        hint = 99
        #expect(second.value(forKey: "qty", hint: &hint) == 1)
        #expect(second.value(forKey: "none", hint: &hint) == nil)
    }

    @Test("objects built from keys and computed values leave out the missing ones")
    func builtFromKeys() {
        let object = JSONObject(uncheckedUniqueKeys: ["a", "b", "c"]) { i in i == 1 ? nil : .int(i) }
        #expect(JSONValue.object(object).serialized() == #"{"a":0,"c":2}"#)
        let zipped = JSONObject(uncheckedUniqueKeys: ["x", "y"], values: [JSONValue.int(1), "two"])
        #expect(JSONValue.object(zipped).serialized() == #"{"x":1,"y":"two"}"#)
    }

    @Test("sorting, filtering and mapping keep the object's shape")
    func transforms() {
        var object: JSONObject = ["c": 3, "a": 1, "b": 2]
        #expect(Array(object.filter { $0.key != "a" }.keys) == ["c", "b"])
        #expect(object.mapValues { _ in .null }["c"] == .null)
        object.sort { $0.key < $1.key }
        #expect(Array(object.keys) == ["a", "b", "c"])
        #expect(object.elements[2].value == 3)
        let removed = object.remove(at: 0)
        #expect(removed.key == "a")
        #expect(object.index(forKey: "c") == 1)
        object.removeAll()
        #expect(object.isEmpty)
    }
}

/// JSONObject against the plainest model of an ordered dictionary (an array of pairs searched
/// linearly), over random operations that cross the hash-index threshold both ways and mutate
/// shared copies: every observable (order, lookups, counts, equality) must agree.
@Suite("JSONObject behaves as an ordered dictionary under random operations")
struct JSONObjectModelTests {
    struct Model: Equatable {
        var pairs: [(key: String, value: JSONValue)] = []

        static func == (a: Model, b: Model) -> Bool {
            a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        }

        subscript(key: String) -> JSONValue? {
            get { pairs.first { $0.key == key }?.value }
            set {
                if let i = pairs.firstIndex(where: { $0.key == key }) {
                    if let newValue { pairs[i].value = newValue } else { pairs.remove(at: i) }
                } else if let newValue {
                    pairs.append((key, newValue))
                }
            }
        }
    }

    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func agree(_ object: JSONObject, _ model: Model) -> Bool {
        guard object.count == model.pairs.count, Array(object.keys) == model.pairs.map(\.key) else { return false }
        for (i, pair) in model.pairs.enumerated() {
            guard object[pair.key] == pair.value, object.index(forKey: pair.key) == i, object.elements[i].value == pair.value else { return false }
        }
        return true
    }

    @Test("20,000 random inserts, updates, removals and copies agree with the model")
    func randomOperations() {
        var rng = SplitMix(state: 7)
        var object = JSONObject()
        var model = Model()
        var snapshots: [(JSONObject, Model)] = []
        for step in 0..<20_000 {
            // Key space sized so objects drift above and below the index threshold.
            let key = "k\(Int.random(in: 0..<(JSONObject.indexThreshold * 3), using: &rng))"
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3:
                object[key] = .int(step)
                model[key] = .int(step)
            case 4...5:
                #expect(object.removeValue(forKey: key) == model[key])
                model[key] = nil
            case 6:
                if !model.pairs.isEmpty {
                    let i = Int.random(in: 0..<model.pairs.count, using: &rng)
                    let removed = object.remove(at: i)
                    #expect(removed.key == model.pairs[i].key)
                    model.pairs.remove(at: i)
                }
            case 7:
                snapshots.append((object, model))  // a shared copy, mutated later through `object`
                if snapshots.count > 8 { snapshots.removeFirst() }
            case 8:
                var hint = Int.random(in: 0..<40, using: &rng)
                #expect(object.value(forKey: key, hint: &hint) == model[key])
            default:
                if Int.random(in: 0..<50, using: &rng) == 0 {
                    object.removeAll()
                    model.pairs.removeAll()
                }
            }
            if step % 97 == 0 { #expect(Self.agree(object, model)) }
        }
        #expect(Self.agree(object, model))
        for (copy, copyModel) in snapshots { #expect(Self.agree(copy, copyModel)) }
        let rebuilt = JSONObject(uniqueKeysWithValues: model.pairs.map { ($0.key, $0.value) })
        #expect(rebuilt == object)
        #expect(rebuilt.hashValue == object.hashValue)
    }
}
