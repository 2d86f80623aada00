/// Everything that can be invoked: lambdas (closures over a frame), built-ins, host functions,
/// partial applications, regex matchers, transform functions and `~>` compositions.
indirect enum JSONataCallable {
    case lambda(JSONataClosure)
    case builtin(JSONataBuiltin)
    case host(name: String, function: JSONataFunction, signature: JSONataSignature?)
    case partial(JSONataCallable, [JSONataValue?], holes: [Bool])
    case regex(JSONataRegex)
    case transformer(pattern: JSONataNode, update: JSONataNode, delete: JSONataNode?, frame: JSONataFrame, position: Int)
    case chain(JSONataCallable, JSONataCallable)

    var signature: JSONataSignature? {
        switch self {
        case .lambda(let c): return c.signature
        case .builtin(let b): return b.signature
        case .host(_, _, let s): return s
        default: return nil
        }
    }

    /// How many arguments a higher-order function should pass to this callback.
    var arity: Int {
        switch self {
        case .lambda(let c): return c.parameters.count
        case .builtin(let b): return b.arity
        case .host(_, _, let s): return s?.params.count ?? 1
        case .partial(_, _, let holes): return holes.count(where: { $0 })
        case .regex, .transformer, .chain: return 1
        }
    }
}
