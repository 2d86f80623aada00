/// A single-quoted string literal of an intrinsic call.
///
/// AWS allows exactly four escapes in these literals: `\'`, `\{`, `\}` and `\\`. Escaped braces
/// are literal text in `States.Format` templates, so the literal keeps its text split at the
/// unescaped `{}` placeholders besides the plain value.
struct IntrinsicStringLiteral: Sendable, Hashable {
    /// The text with escapes removed.
    let value: String
    /// The text split at unescaped `{}`; `pieces.count - 1` placeholders.
    let pieces: [String]
}
