import ArgumentParser

/// The `steplocal` command: a local, AWS-compatible Step Functions emulator. This root only
/// lists the subcommands; each one resolves its own configuration.
@main
struct StepLocal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steplocal",
        abstract: "A local, AWS-compatible emulator of AWS Step Functions.",
        discussion: """
            Serve the Step Functions API on http://127.0.0.1:8083 for the AWS CLI and SDKs, or run and
            validate state machine definitions in-process.
            """,
        version: StepLocalVersion.current,
        subcommands: [ServeCommand.self, RunCommand.self, ValidateCommand.self, TestCommand.self, GraphCommand.self, RecordCommand.self]
    )
}

/// The version printed by `--version`.
enum StepLocalVersion {
    static let current = "0.1.0"
}
