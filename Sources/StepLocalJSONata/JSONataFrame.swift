/// A variable scope: blocks, lambda invocations and tuple steps each get one, chained to the scope
/// they were created in (closures keep theirs alive).
///
/// Most scopes hold one to three names (a lambda's parameters, a block's `:=`), so names are kept
/// in an array and compared directly: hashing each name and allocating a dictionary per lambda
/// call cost more than the lookups. A scope with many names (the root, holding every workflow
/// variable) also keeps a hash index.
///
/// (The stored properties skip Swift's run-time exclusivity checks: a scope is only ever used by
/// the one evaluation that made it, and a bind never overlaps a lookup, so the checks, a
/// thread-local access set per read, guarded nothing and cost more than the lookups.)
final class JSONataFrame {
    @exclusivity(unchecked) private var names: [String] = []
    @exclusivity(unchecked) private var values: [JSONataValue?] = []
    /// Name to position, kept once a scope holds more than ``indexThreshold`` names.
    @exclusivity(unchecked) private var index: [String: Int]? = nil
    let parent: JSONataFrame?

    private static let indexThreshold = 8

    init(parent: JSONataFrame?) {
        self.parent = parent
    }

    func bind(_ name: String, _ value: JSONataValue?) {
        if let i = position(of: name) {
            values[i] = value
            return
        }
        names.append(name)
        values.append(value)
        if index != nil {
            index![name] = names.count - 1
        } else if names.count > Self.indexThreshold {
            index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        }
    }

    private func position(of name: String) -> Int? {
        if let index { return index[name] }
        let length = name.utf8.count
        for i in names.indices where names[i].utf8.count == length && names[i] == name { return i }
        return nil
    }

    /// `.some(nil)` when bound to undefined (which shadows outer scopes), `nil` when unbound.
    func lookup(_ name: String) -> JSONataValue?? {
        var frame: JSONataFrame? = self
        while let f = frame {
            if !f.names.isEmpty, let i = f.position(of: name) { return .some(f.values[i]) }
            frame = f.parent
        }
        return nil
    }
}
