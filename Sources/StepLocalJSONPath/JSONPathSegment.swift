import StepLocalJSON

/// One step of a compiled JSONPath (the AST the parser builds once per definition).
enum JSONPathSegment: Sendable, Hashable {
    /// `.name` or `['name']`
    case name(String)
    /// `['a','b']`: at the end of a path Jayway merges the members into one object.
    case names([String])
    /// `[2]`, `[-1]`
    case index(Int)
    /// `[0,1]`
    case indexes([Int])
    /// `[1:3]`, `[-2:]`, `[:2]`, `[::2]`
    case slice(start: Int?, end: Int?, step: Int?)
    /// `.*`, `[*]`
    case wildcard
    /// `..name`, `..*`, `..[0]`: the step is applied at every container, pre-order.
    indirect case deepScan(JSONPathSegment)
    /// `[?(...)]`
    case filter(JSONPathFilter)
    /// `.length()` and the other Jayway functions; always the last step.
    case function(JSONPathFunction)

    /// Whether this step selects at most one value (Jayway's notion of a definite token).
    var isDefiniteStep: Bool {
        switch self {
        case .name, .index, .function: true
        default: false
        }
    }

    /// The step as Jayway prints it in its messages (`['a']`, `[0]`, `[*]`).
    var fragment: String {
        switch self {
        case .name(let n): "['\(n)']"
        case .names(let ns): "[" + ns.map { "'\($0)'" }.joined(separator: ", ") + "]"
        case .index(let i): "[\(i)]"
        case .indexes(let ix): "[" + ix.map(String.init).joined(separator: ",") + "]"
        case .slice(let start, let end, let step):
            "[" + (start.map(String.init) ?? "") + ":" + (end.map(String.init) ?? "")
                + (step.map { ":\($0)" } ?? "") + "]"
        case .wildcard: "[*]"
        case .deepScan(let inner): ".." + inner.fragment
        case .filter: "[?]"
        case .function(let f): "." + f.rawValue + "()"
        }
    }
}
