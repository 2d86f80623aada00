/// A standard-library function: its name, signature and Swift implementation, which receives the
/// evaluator (to call back into function arguments), the validated arguments and the context item.
struct JSONataBuiltin: Sendable {
    typealias Body = @Sendable (JSONataEvaluator, [JSONataValue?], JSONataValue?) throws(JSONataError) -> JSONataValue?

    let name: String
    let signature: JSONataSignature?
    let arity: Int
    let body: Body

    init(_ name: String, _ signature: String?, arity: Int? = nil, _ body: @escaping Body) {
        self.name = name
        // Built-in signatures are fixed strings; a bad one is a programming error caught by tests.
        let sig = signature.flatMap { try? JSONataSignature($0) }
        self.signature = sig
        self.arity = arity ?? sig?.requiredCount ?? 1
        self.body = body
    }
}
