/// One way a mocked result differs from the service's output shape, located by a JSONPath-style
/// path (`$.Payload`, `$.Items[0].id.S`) so the message points at the member to fix. The
/// validator collects every problem; each caller renders them for its own surface (a load error
/// with file and state, or TestState's ValidationException).
public struct ResultFieldProblem: Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; the wording of each case lives in ``message``.
    public enum Kind: Sendable, Hashable {
        /// A member the shape does not define; `suggestion` is a near miss it does define.
        case unknownMember(integration: String, suggestion: String?)
        /// A required member is absent (STRICT only).
        case missingRequired(integration: String)
        /// The value has the wrong JSON type (`expected` reads "a string", "an array", ...).
        case wrongType(expected: String, found: String)
        /// A string outside the model's enum.
        case notInEnum(allowed: [String])
    }

    /// `$` for the result itself, `$.Member`, `$.List[2]`, `$.Map['key']`.
    public var path: String
    /// The member name the problem is about (the last step of `path`), for AWS's wording.
    public var field: String
    public var kind: Kind

    public init(path: String, field: String, kind: Kind) {
        self.path = path
        self.field = field
        self.kind = kind
    }

    /// StepLocal's wording: `$.Paylod: not a member of lambda:invoke's result (did you mean Payload?)`.
    public var message: String {
        switch kind {
        case .unknownMember(let integration, let suggestion):
            "not a member of \(integration)'s result" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
        case .missingRequired(let integration):
            "missing; \(integration)'s result always has it (use field validation PRESENT for a partial result)"
        case .wrongType(let expected, let found):
            "expected \(expected), found \(found)"
        case .notInEnum(let allowed):
            "not one of the values the service returns (" + allowed.prefix(12).joined(separator: ", ") + (allowed.count > 12 ? ", ..." : "") + ")"
        }
    }

    public var description: String { "\(path): \(message)" }

    /// AWS's wording for TestState ("Mock result schema validation error: Field 'Entries' must be
    /// an array"), as recorded on AWS by LocalStack's
    /// `tests/aws/services/stepfunctions/v2/test_state/test_field_validation_mode_*.py` snapshots.
    public var awsMessage: String {
        let prefix = "Mock result schema validation error: "
        switch kind {
        case .unknownMember:
            return prefix + "Field '\(field)' is not part of the API model"
        case .missingRequired:
            return prefix + "Required field '\(field)' is missing"
        case .wrongType(let expected, _):
            return prefix + "Field '\(field)' must be \(expected)"
        case .notInEnum:
            return prefix + "Field '\(field)' is not an expected value"
        }
    }
}
