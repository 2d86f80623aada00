/// Builds RFC 6901 JSON pointers (`/MockedResponses/Retry/1-2`) for error locations, escaping
/// `~` and `/` in member names so every location points at exactly one place.
public enum JSONPointer {
    public static func appending(_ base: String, _ token: String) -> String {
        base + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func appending(_ base: String, _ index: Int) -> String {
        base + "/" + String(index)
    }
}
