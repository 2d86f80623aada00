import OrderedCollections

/// The deep copy a transform (`| pattern | update, delete |`) edits in place. JSONata values are
/// immutable enums, so each copied object carries a hidden first member holding its box id; matches
/// the pattern returns are traced back to their box, updated, and the tree is frozen afterwards.
final class JSONataMutableNode {
    static let hiddenKey = "\u{1}jsonata-transform-id"

    enum Child {
        case leaf(JSONataValue)
        case node(JSONataMutableNode)
    }

    private var members = OrderedDictionary<String, Child>()
    private var elements: [Child] = []
    private let isArray: Bool
    private let id: Int
    private let registry: Registry

    final class Registry {
        var boxes: [JSONataMutableNode] = []
    }

    private init(isArray: Bool, registry: Registry) {
        self.isArray = isArray
        self.registry = registry
        self.id = registry.boxes.count
        registry.boxes.append(self)
    }

    static func make(from value: JSONataValue) -> JSONataMutableNode {
        let registry = Registry()
        if case .child(let n) = build(value, registry) { return n }
        let wrapper = JSONataMutableNode(isArray: true, registry: registry)
        wrapper.elements = [.leaf(value)]
        return wrapper
    }

    private enum Built {
        case leaf(JSONataValue)
        case child(JSONataMutableNode)
    }

    private static func build(_ value: JSONataValue, _ registry: Registry) -> Built {
        if let items = value.arrayItems {
            let n = JSONataMutableNode(isArray: true, registry: registry)
            n.elements = items.map { item in
                switch build(item, registry) {
                case .leaf(let v): return .leaf(v)
                case .child(let c): return .node(c)
                }
            }
            return .child(n)
        }
        if let entries = value.objectEntries {
            let n = JSONataMutableNode(isArray: false, registry: registry)
            for (k, v) in entries {
                switch build(v, registry) {
                case .leaf(let l): n.members[k] = .leaf(l)
                case .child(let c): n.members[k] = .node(c)
                }
            }
            return .child(n)
        }
        return .leaf(value)
    }

    /// The view the pattern and update expressions see (objects tagged with their box id).
    var value: JSONataValue {
        if isArray {
            return .array(elements.map(JSONataMutableNode.view), [])
        }
        var o = OrderedDictionary<String, JSONataValue>(minimumCapacity: members.count + 1)
        o[JSONataMutableNode.hiddenKey] = .number(Double(id))
        for (k, c) in members { o[k] = JSONataMutableNode.view(c) }
        return .object(o)
    }

    private static func view(_ c: Child) -> JSONataValue {
        switch c {
        case .leaf(let v): return v
        case .node(let n): return n.value
        }
    }

    func box(of match: JSONataValue) -> JSONataMutableNode? {
        guard case .object(let o) = match, case .number(let d)? = o[JSONataMutableNode.hiddenKey] else { return nil }
        let i = JSONataClamp.int(d)
        return i < registry.boxes.count ? registry.boxes[i] : nil
    }

    func set(_ key: String, _ value: JSONataValue) {
        members[key] = .leaf(JSONataMutableNode.strip(value))
    }

    func remove(_ key: String) {
        members.removeValue(forKey: key)
    }

    /// Removes hidden ids from values copied out of the view (e.g. `{"x": child}` updates).
    static func strip(_ v: JSONataValue) -> JSONataValue {
        switch v {
        case .object(var o):
            o.removeValue(forKey: hiddenKey)
            return .object(o.mapValues(strip))
        case .array(let items, let f):
            return .array(items.map(strip), f)
        default:
            return v
        }
    }

    func freeze() -> JSONataValue {
        if isArray {
            return .array(elements.map(JSONataMutableNode.freeze), [])
        }
        var o = OrderedDictionary<String, JSONataValue>(minimumCapacity: members.count)
        for (k, c) in members { o[k] = JSONataMutableNode.freeze(c) }
        return .object(o)
    }

    private static func freeze(_ c: Child) -> JSONataValue {
        switch c {
        case .leaf(let v): return strip(v)
        case .node(let n): return n.freeze()
        }
    }
}
