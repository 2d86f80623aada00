/// One named entry of `MockedResponses`: answers by invocation number. Ranges never overlap
/// (the loader refuses that); gaps are allowed, as in Step Functions Local, and an invocation
/// that falls into a gap or past the end fails the task at run time with `States.Runtime`.
public struct MockedResponse: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var range: InvocationRange
        public var answer: MockAnswer

        public init(range: InvocationRange, answer: MockAnswer) {
            self.range = range
            self.answer = answer
        }
    }

    public var name: String
    /// Sorted by range, non-overlapping.
    public var entries: [Entry]

    public init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries.sorted { $0.range < $1.range }
    }

    /// Consecutive answers: the first call gets `answers[0]`, the second `answers[1]`, ...
    public init(name: String, consecutive answers: [MockAnswer]) {
        self.init(name: name, entries: answers.enumerated().map { Entry(range: InvocationRange($0.offset, $0.offset), answer: $0.element) })
    }

    public func answer(forInvocation invocation: Int) -> MockAnswer? {
        entries.first { $0.range.contains(invocation) }?.answer
    }
}
