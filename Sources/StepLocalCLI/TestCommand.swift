import ArgumentParser
import Foundation
import StepLocalScenarios

/// `steplocal test [PATHS...]`: loads scenario files and runs every case in-process on the
/// virtual clock, in parallel. Prints progress, a diff per failed expectation and a summary
/// ending with `N passed, N failed`; exits 1 when a case fails and 2 when a file is invalid.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scenario files (inputs, mocks and expectations) in-process.",
        discussion: """
            PATHS are scenario files (.yaml, .yml, .json) or directories searched recursively
            (files ending in .asl.json or .schema.json are skipped). Default: scenarios/
            """)

    @Argument(help: "Scenario files or directories.")
    var paths: [String] = []

    @Option(help: "Run only cases whose 'scenario › case' name or file contains this text.")
    var filter: String?

    @Option(help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "How many cases run at once (default: twice the number of cores).")
    var jobs: Int?

    @Flag(help: "Print each case's name as it finishes instead of one mark per case.")
    var verbose = false

    func run() async throws {
        let started = ContinuousClock.now
        let scenarios: [Scenario]
        do {
            let files = try ScenarioLoader.discover(paths.isEmpty ? ["scenarios"] : paths)
            scenarios = try ScenarioLoader.load(paths: files)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(2)
        }
        let selected = ScenarioRunner.select(scenarios, filter: filter)
        let interactive = isatty(STDOUT_FILENO) == 1
        let reporter = TerminalReporter(useColor: interactive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        var runner = ScenarioRunner()
        if let jobs { runner.concurrency = max(1, jobs) }
        let verbose = self.verbose
        let results = await runner.run(selected) { result in
            if verbose {
                print("\(result.passed ? "✓" : "✗") \(result.fullName)")
            } else if interactive {
                FileHandle.standardOutput.write(Data(reporter.progressMark(result).utf8))
            }
        }
        if interactive && !verbose { print("") }
        if let junit {
            do {
                try JUnitReporter.xml(results).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                printError("error: cannot write the JUnit report to '\(junit)': \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let elapsed = ContinuousClock.now - started
        print(reporter.summary(results, elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
