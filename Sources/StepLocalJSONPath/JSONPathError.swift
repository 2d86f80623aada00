public import StepLocalJSON

/// Why a JSONPath could not be compiled, evaluated or written to.
///
/// The engine wraps these messages into AWS's own (`Invalid path '$.x' : <message>`,
/// `States.ResultPathMatchFailure`), so `message` carries the text the Jayway library behind AWS
/// prints, and `kind` tells the engine which AWS error to raise.
public struct JSONPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, so callers can pick AWS's error name without parsing the message.
    public enum Kind: Sendable, Hashable {
        /// The text is not a JSONPath (definition-time error).
        case syntax
        /// A definite path selected nothing (AWS: `States.Runtime`, "Invalid path ... : <message>").
        case pathNotFound
        /// A ResultPath write crossed a value that is not an object (AWS: `States.ResultPathMatchFailure`).
        case resultPathMatchFailure
        /// The path can't be written to (not a `$`-rooted reference path).
        case notAReferencePath
        /// A filter's `=~` ran past its bound (or its execution was stopped) and was stopped: a
        /// pattern that backtracks without end (AWS: `States.Runtime`, with the message).
        case matchStopped
    }

    public let kind: Kind
    /// Jayway-style explanation, e.g. `No results for path: $['a']`.
    public let message: String
    /// The path as written in the definition.
    public let path: String
    /// For ``Kind/syntax``: the character offset where reading stopped.
    public let offset: Int?

    public init(kind: Kind, message: String, path: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .syntax:
            if let offset { return "Invalid JSONPath '\(path)': \(message) (at character \(offset))" }
            return "Invalid JSONPath '\(path)': \(message)"
        case .pathNotFound, .notAReferencePath, .matchStopped:
            return "Invalid path '\(path)' : \(message)"
        case .resultPathMatchFailure:
            return message
        }
    }
}
