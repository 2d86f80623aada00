public import StepLocalJSON

/// A function supplied by the host (e.g. Step Functions' `$partition`, `$uuid`, `$hash`), callable from
/// expressions as `$name(...)`. Arguments arrive as JSON (`nil` = undefined); the optional JSONata
/// signature (e.g. `"<a<x>n:a>"`) is checked before the body runs.
public struct JSONataFunction: Sendable {
    public let signature: String?
    public let body: @Sendable ([JSONValue?]) throws(JSONataError) -> JSONValue?
    /// The signature parsed once here, not on every evaluation that binds the function.
    private let compiledSignature: Result<JSONataSignature, JSONataError>?

    public init(signature: String?, _ body: @Sendable @escaping ([JSONValue?]) throws(JSONataError) -> JSONValue?) {
        self.signature = signature
        self.body = body
        self.compiledSignature = signature.map { (text) in
            do throws(JSONataError) { return .success(try JSONataSignature(text)) } catch { return .failure(error) }
        }
    }

    /// The parsed signature (`nil` when none was given); a malformed one throws its parse error.
    func parsedSignature() throws(JSONataError) -> JSONataSignature? {
        switch compiledSignature {
        case nil: return nil
        case .success(let s)?: return s
        case .failure(let e)?: throw e
        }
    }
}
