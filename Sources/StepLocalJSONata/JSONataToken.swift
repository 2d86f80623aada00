/// One lexical token of a JSONata expression, with its character offset for error positions.
struct JSONataToken {
    enum Kind: Equatable {
        case name, variable, string, number, value, regex, op, end
    }

    var kind: Kind
    /// Operator or name text, variable name (without `$`), string literal content, regex pattern.
    var text: String
    var number: Double = 0
    /// For `.value`: "true", "false" or "null" in `text`. For `.regex`: flags.
    var flags: String = ""
    var position: Int
}
