import Foundation

/// The regular expression of a filter's `=~` (`/pattern/` or `/pattern/i`), compiled once when the
/// path is, and matched against the whole value as Jayway's `Pattern.matcher(...).matches()` does.
///
/// ICU (NSRegularExpression, as JSONata's regexes) rather than Swift's `Regex`, whose matching can
/// be neither timed nor cancelled: a pattern that backtracks without end (`(a+)+b` against thirty
/// `a`s and no `b`) held its thread for ever. ICU's syntax and UTF-16 semantics are Java's, and it
/// reports progress during a long match, so a match is stopped after ``timeLimit`` or when its
/// execution is stopped. ICU itself gives a match up when its backtracking outgrows its stack
/// (reported as an internal error, then also stopped here; on some patterns, after about a second,
/// as no match: where Java would run on, such a pattern then finds nothing).
struct JSONPathRegex: @unchecked Sendable, Hashable {
    // NSRegularExpression is immutable and documented thread-safe; corelibs does not mark it Sendable.
    let pattern: String
    let ignoreCase: Bool
    /// Nil when the pattern is not a regular expression ICU accepts: it then matches nothing.
    private let compiled: NSRegularExpression?

    /// How long one match may run (as long as a JSONata evaluation may).
    static let timeLimit: Duration = .seconds(2)

    init(pattern: String, ignoreCase: Bool) {
        self.pattern = pattern
        self.ignoreCase = ignoreCase
        compiled = try? NSRegularExpression(pattern: "\\A(?:\(pattern))\\z", options: ignoreCase ? [.caseInsensitive] : [])
    }

    static func == (a: JSONPathRegex, b: JSONPathRegex) -> Bool { a.pattern == b.pattern && a.ignoreCase == b.ignoreCase }
    func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(ignoreCase)
    }

    /// The text a filter shows it as.
    var literal: String { "/\(pattern)/\(ignoreCase ? "i" : "")" }

    /// Whether the whole of `input` matches; nil when the match was stopped: it ran past `limit`,
    /// the task running it was cancelled (its execution stopped), or ICU gave it up.
    func matchesWhole(_ input: String, within limit: Duration = timeLimit) -> Bool? {
        guard let compiled else { return false }
        let deadline = ContinuousClock.now + limit
        var matched = false
        var stopped = false
        let range = NSRange(location: 0, length: (input as NSString).length)
        compiled.enumerateMatches(in: input, options: [.reportProgress, .reportCompletion], range: range) { result, flags, stop in
            if result != nil {
                matched = true
                stop.pointee = true
            } else if flags.contains(.internalError) || Task.isCancelled || ContinuousClock.now > deadline {
                stopped = true
                stop.pointee = true
            }
        }
        return stopped && !matched ? nil : matched
    }
}
