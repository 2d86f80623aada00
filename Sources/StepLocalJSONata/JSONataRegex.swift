import Foundation

/// A compiled `/pattern/flags` literal. JSONata regexes follow JavaScript syntax; ICU's
/// NSRegularExpression accepts the same constructs used in practice, and its UTF-16 offsets match
/// JavaScript string indexes.
struct JSONataRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe; corelibs does not mark it Sendable.
    let pattern: String
    let flags: String
    let compiled: NSRegularExpression

    init(pattern: String, flags: String, position: Int) throws(JSONataError) {
        self.pattern = pattern
        self.flags = flags
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        do {
            compiled = try NSRegularExpression(pattern: pattern, options: options)
        } catch {
            throw JSONataError(code: "S0302", message: "Invalid regular expression: \(pattern)", position: position)
        }
    }

    /// One match: text, UTF-16 start/end, and capture groups (unmatched groups are "").
    struct Match {
        var match: String
        var start: Int
        var end: Int
        var groups: [String]
    }

    /// Every match in `string`. ICU reports progress during a long match, so a catastrophic pattern
    /// (`(.*a){12}$`) stops with the evaluation's timeout or cancellation instead of running on.
    func matches(in string: String, stoppingWhen evaluator: JSONataEvaluator) throws(JSONataError) -> [Match] {
        let ns = string as NSString
        var results: [NSTextCheckingResult] = []
        var stopped = false
        compiled.enumerateMatches(in: string, options: [.reportProgress], range: NSRange(location: 0, length: ns.length)) { result, _, stop in
            if let result { results.append(result) }
            if evaluator.mustStop {
                stopped = true
                stop.pointee = true
            }
        }
        if stopped { throw JSONataEvaluator.timeout }
        return results.map { r in
            var groups: [String] = []
            if r.numberOfRanges > 1 {
                for i in 1..<r.numberOfRanges {
                    let gr = r.range(at: i)
                    groups.append(gr.location == NSNotFound ? "" : ns.substring(with: gr))
                }
            }
            return Match(match: ns.substring(with: r.range), start: r.range.location, end: r.range.location + r.range.length, groups: groups)
        }
    }
}
