/// Why a scenario file was refused: the file, the location inside it (a JSON pointer such as
/// `/cases/2/mocks/Charge`, plus the line when the file is YAML) and what is wrong. Every
/// malformed file produces exactly one of these; nothing traps.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var location: String
    public var line: Int?
    public var message: String

    public init(file: String, location: String, line: Int? = nil, message: String) {
        self.file = file
        self.location = location
        self.line = line
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(location.isEmpty ? "/" : location): \(message)"
    }

    static func unreadable(_ file: String) -> ScenarioError {
        ScenarioError(file: file, location: "", message: "cannot read the file")
    }

    static func syntax(_ file: String, _ detail: String) -> ScenarioError {
        ScenarioError(file: file, location: "", message: "not valid YAML or JSON: \(detail)")
    }
}
