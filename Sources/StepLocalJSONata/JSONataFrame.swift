/// A variable scope: blocks, lambda invocations and tuple steps each get one, chained to the scope
/// they were created in (closures keep theirs alive).
final class JSONataFrame {
    private var vars: [String: JSONataValue?] = [:]
    let parent: JSONataFrame?

    init(parent: JSONataFrame?) {
        self.parent = parent
    }

    func bind(_ name: String, _ value: JSONataValue?) {
        vars[name] = .some(value)
    }

    /// `.some(nil)` when bound to undefined (which shadows outer scopes), `nil` when unbound.
    func lookup(_ name: String) -> JSONataValue?? {
        var frame: JSONataFrame? = self
        while let f = frame {
            if !f.vars.isEmpty, let v = f.vars[name] { return .some(v) }
            frame = f.parent
        }
        return nil
    }
}
