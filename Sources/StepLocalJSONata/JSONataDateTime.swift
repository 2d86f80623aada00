import Foundation

/// ISO 8601 and XPath picture-string date formatting/parsing for `$fromMillis`, `$toMillis`, `$now`.
enum JSONataDateTime {
    static func format(millis: Int64, picture: String?, timezone: String?) throws(JSONataError) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        if picture == nil, timezone == nil {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            f.timeZone = TimeZone(identifier: "UTC")
            return f.string(from: date)
        }
        throw JSONataError(code: "D3132", message: "Date/time pictures are not supported yet")
    }

    static func parse(_ s: String, picture: String?) throws(JSONataError) -> Int64? {
        if picture != nil { throw JSONataError(code: "D3136", message: "Date/time pictures are not supported yet") }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        throw JSONataError.make("D3110")
    }
}
