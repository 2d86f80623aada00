/// AWS's rules for state machine, execution and activity names: 1–80 characters, none of
/// whitespace, `< > { } [ ]`, `? *`, `" # % \ ^ | ~ `` $ & , ; : /`, or control characters
/// (U+0000–001F, U+007F–009F). See "Naming" in CreateStateMachine's API reference.
enum NameRules {
    private static let forbidden: Set<Character> = [
        " ", "<", ">", "{", "}", "[", "]", "?", "*", "\"", "#", "%", "\\", "^", "|", "~", "`", "$", "&", ",", ";", ":", "/",
    ]

    static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf16.count <= 80 else { return false }
        for scalar in name.unicodeScalars {
            let v = scalar.value
            if v <= 0x1F || (0x7F...0x9F).contains(v) { return false }
            if scalar.properties.isWhitespace { return false }
        }
        return !name.contains { forbidden.contains($0) }
    }

    static func validate(_ name: String) throws(AWSServiceError) {
        guard isValid(name) else { throw .invalidName(name) }
    }
}
