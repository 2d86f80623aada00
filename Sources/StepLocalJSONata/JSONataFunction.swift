public import StepLocalJSON

/// A function supplied by the host (e.g. Step Functions' `$partition`, `$uuid`, `$hash`), callable from
/// expressions as `$name(...)`. Arguments arrive as JSON (`nil` = undefined); the optional JSONata
/// signature (e.g. `"<a<x>n:a>"`) is checked before the body runs.
public struct JSONataFunction: Sendable {
    public let signature: String?
    public let body: @Sendable ([JSONValue?]) throws(JSONataError) -> JSONValue?

    public init(signature: String?, _ body: @Sendable @escaping ([JSONValue?]) throws(JSONataError) -> JSONValue?) {
        self.signature = signature
        self.body = body
    }
}
