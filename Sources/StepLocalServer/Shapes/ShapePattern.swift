/// Matches a string against a pattern from the service model the way AWS (Java's
/// `Pattern.matcher(...).matches()`) does: the whole string must match.
enum ShapePattern {
    static func matches(_ string: String, pattern: String) -> Bool {
        // The model's patterns are written for Java; `\p{ASCII}` is spelled differently in Swift.
        let swiftPattern = pattern.replacing("\\p{ASCII}", with: "[\\x{0}-\\x{7F}]")
        guard let regex = try? Regex(swiftPattern) else { return true }
        return (try? regex.wholeMatch(in: string)) != nil
    }
}
