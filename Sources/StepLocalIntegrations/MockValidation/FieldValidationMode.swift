/// How strictly a mocked Task result is checked against the integrated service's output shape:
/// AWS's three modes for TestState's `mock.fieldValidationMode`, which StepLocal also applies to
/// mock-config files and scenario mocks when they load
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html).
public enum FieldValidationMode: String, Sendable, Hashable, CaseIterable {
    /// Every required member is present and every present member conforms (AWS's default).
    case strict = "STRICT"
    /// Only the members that are present must conform; missing required ones are fine.
    case present = "PRESENT"
    /// No check at all: the mock is taken as written.
    case none = "NONE"

    /// Parses `STRICT`, `PRESENT` or `NONE` (any case, as users write it in YAML).
    public init?(text: String) {
        self.init(rawValue: text.uppercased())
    }
}
