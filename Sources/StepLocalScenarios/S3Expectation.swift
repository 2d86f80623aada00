public import StepLocalJSON

/// What a scenario case expects to find in S3 once its execution ended (`expect: s3:`): the
/// objects of `bucket` whose key matches `key`, where `*` stands for any run of characters
/// but `/` (so `results/*/SUCCEEDED_0.json` matches whatever map run id AWS, or StepLocal, chose).
/// At least one object must match, and every match must satisfy the content checks given.
public struct S3Expectation: Sendable {
    public var bucket: String
    public var key: String
    /// The object's content as JSON, compared exactly.
    public var json: JSONValue?
    /// A subset of the object's JSON content (as `outputContains`).
    public var jsonContains: JSONValue?
    /// The object's content as text, compared exactly.
    public var text: String?

    public init(bucket: String, key: String, json: JSONValue? = nil, jsonContains: JSONValue? = nil, text: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.json = json
        self.jsonContains = jsonContains
        self.text = text
    }

    /// Whether `candidate` matches the `key` pattern.
    public func matches(_ candidate: String) -> Bool {
        Self.match(Array(key), 0, Array(candidate), 0)
    }

    private static func match(_ pattern: [Character], _ p: Int, _ text: [Character], _ t: Int) -> Bool {
        if p == pattern.count { return t == text.count }
        if pattern[p] == "*" {
            var end = t
            while true {
                if match(pattern, p + 1, text, end) { return true }
                guard end < text.count, text[end] != "/" else { return false }
                end += 1
            }
        }
        guard t < text.count, text[t] == pattern[p] else { return false }
        return match(pattern, p + 1, text, t + 1)
    }
}
