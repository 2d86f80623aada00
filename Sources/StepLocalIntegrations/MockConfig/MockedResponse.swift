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
    /// How strictly its `Return` values are checked against the service's output shape once the
    /// state's Resource is known (see ``MockTestCase/fieldProblems(resources:)``).
    public var fieldValidation: FieldValidationMode
    /// Where it was written (`mocks.json: /MockedResponses/Name`), for messages.
    public var origin: String?

    public init(name: String, entries: [Entry], fieldValidation: FieldValidationMode = .strict, origin: String? = nil) {
        self.name = name
        self.entries = entries.sorted { $0.range < $1.range }
        self.fieldValidation = fieldValidation
        self.origin = origin
    }

    /// Consecutive answers: the first call gets `answers[0]`, the second `answers[1]`, ...
    public init(name: String, consecutive answers: [MockAnswer], fieldValidation: FieldValidationMode = .strict, origin: String? = nil) {
        self.init(
            name: name, entries: answers.enumerated().map { Entry(range: InvocationRange($0.offset, $0.offset), answer: $0.element) },
            fieldValidation: fieldValidation, origin: origin)
    }

    public func answer(forInvocation invocation: Int) -> MockAnswer? {
        entries.first { $0.range.contains(invocation) }?.answer
    }
}
