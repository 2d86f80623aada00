/// Why a mock configuration file was refused, with the file and the JSON location (a pointer
/// such as `/MockedResponses/MockedLambdaRetry/1-2`) so the fix is one look away.
public struct MockConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var location: String
    public var message: String

    public init(file: String, location: String, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        "\(file): \(location.isEmpty ? "/" : location): \(message)"
    }

    static func unreadable(_ file: String) -> MockConfigError {
        MockConfigError(file: file, location: "", message: "cannot read the mock configuration file")
    }

    static func invalidJSON(_ file: String, _ detail: String) -> MockConfigError {
        MockConfigError(file: file, location: "", message: "not valid JSON: \(detail)")
    }

    static func wrongType(_ file: String, _ location: String, expected: String, found: String) -> MockConfigError {
        MockConfigError(file: file, location: location, message: "expected \(expected), found \(found)")
    }

    static func missing(_ file: String, _ location: String, _ member: String) -> MockConfigError {
        MockConfigError(file: file, location: location, message: "missing required member '\(member)'")
    }

    static func unknownMember(_ file: String, _ location: String, _ member: String, allowed: [String]) -> MockConfigError {
        MockConfigError(
            file: file, location: location,
            message: "unknown member '\(member)' (expected \(allowed.map { "'\($0)'" }.joined(separator: " or ")))")
    }

    static func badRange(_ file: String, _ location: String, _ key: String) -> MockConfigError {
        MockConfigError(
            file: file, location: location,
            message: "'\(key)' is not an invocation number or range (write \"0\" or \"1-2\", counting from 0)")
    }

    static func overlap(_ file: String, _ location: String, _ key: String, _ other: String) -> MockConfigError {
        MockConfigError(file: file, location: location, message: "invocation range '\(key)' overlaps '\(other)'")
    }

    static func returnAndThrow(_ file: String, _ location: String) -> MockConfigError {
        MockConfigError(file: file, location: location, message: "a mocked response has either 'Return' or 'Throw', not both")
    }

    static func unknownResponse(_ file: String, _ location: String, _ name: String, known: [String]) -> MockConfigError {
        let list = known.sorted().prefix(10).joined(separator: ", ")
        return MockConfigError(
            file: file, location: location,
            message: "unknown mocked response '\(name)'; MockedResponses defines: \(list.isEmpty ? "(none)" : list)")
    }
}
