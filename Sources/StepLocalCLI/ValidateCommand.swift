import ArgumentParser
import StepLocalASL

/// `steplocal validate`: the same diagnostics ValidateStateMachineDefinition returns, for
/// editors and pre-commit hooks.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a state machine definition and list every problem with its location."
    )

    @Argument(help: "Path to the definition (Amazon States Language JSON).")
    var definition: String

    @Option(help: "The state machine type: STANDARD or EXPRESS.")
    var type: String = "STANDARD"

    func run() throws {
        guard let machineType = StateMachineType(rawValue: type.uppercased()) else {
            throw ValidationError("--type must be STANDARD or EXPRESS")
        }
        let diagnostics = StateMachineDefinition.validate(try readFile(definition), type: machineType)
        if diagnostics.isEmpty {
            print("OK")
            return
        }
        for d in diagnostics {
            print("\(d.severity.rawValue) \(d.code) at \(d.location ?? "-"): \(d.message)")
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
