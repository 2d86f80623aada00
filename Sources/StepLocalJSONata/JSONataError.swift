/// A JSONata failure with jsonata-js's error code (`S0201`, `T2001`, `D3030`, `U1001`, ...), so callers
/// (and Step Functions' `States.QueryEvaluationError`) can report the same codes users see elsewhere.
public struct JSONataError: Error, Sendable, CustomStringConvertible {
    /// One letter and four digits, as in jsonata-js.
    public let code: String
    /// Human-readable text.
    public let message: String
    /// Offset (in characters) into the expression where the error was detected, when known.
    public let position: Int?

    public init(code: String, message: String, position: Int? = nil) {
        self.code = code
        self.message = message
        self.position = position
    }

    public var description: String {
        if let position { return "\(code) at \(position): \(message)" }
        return "\(code): \(message)"
    }

    /// Same error, with a position filled in if it had none.
    func at(_ position: Int?) -> JSONataError {
        if self.position != nil || position == nil { return self }
        return JSONataError(code: code, message: message, position: position)
    }
}

extension JSONataError {
    /// Builds an error from a code and the standard jsonata message for it.
    static func make(_ code: String, _ detail: String? = nil, position: Int? = nil) -> JSONataError {
        var text = JSONataErrorMessages.text(for: code)
        if let detail { text += text.isEmpty ? detail : " (\(detail))" }
        return JSONataError(code: code, message: text, position: position)
    }
}
