import ArgumentParser
import Foundation
import StepLocalIntegrations
import StepLocalJSON
import StepLocalScenarios

/// `steplocal test [PATHS...]`: loads scenario files and runs every case in-process on the
/// virtual clock, in parallel. Prints progress, a diff per failed expectation and a summary
/// ending with `N passed, N failed`; exits 1 when a case fails and 2 when a file is invalid.
/// A Task state that a case does not mock calls its service's real endpoint when one is
/// configured (the scenario's `endpoints:`, else `--endpoint` and the environment).
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run scenario files (inputs, mocks and expectations) in-process.",
        discussion: """
            PATHS are scenario files (.yaml, .yml, .json) or directories searched recursively
            (files ending in .asl.json or .schema.json are skipped). Default: scenarios/
            A Task state its case does not mock calls the real endpoint that the scenario's
            endpoints:, --endpoint or the environment names for its service; else it fails.
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

    @Flag(help: "Report which states, Choice rules (and Defaults), Catch handlers and Retry policies the cases exercised.")
    var coverage = false

    @Option(name: .customLong("coverage-json"), help: "Write the coverage report as JSON to this file (implies --coverage).")
    var coverageJSON: String?

    @Option(name: .customLong("coverage-xml"), help: "Write the coverage report as Cobertura XML to this file (implies --coverage).")
    var coverageXML: String?

    @Option(name: .customLong("min-coverage"), help: "Fail the run when less than this percentage of all coverage items is covered (implies --coverage).")
    var minCoverage: Double?

    var collectsCoverage: Bool { coverage || coverageJSON != nil || coverageXML != nil || minCoverage != nil }

    @Flag(help: "Keep running: when a scenario file, its definition or a mock config it names changes, run that scenario again (Ctrl-C stops).")
    var watch = false

    @OptionGroup var endpointOptions: EndpointOptions

    func run() async throws {
        let endpoints = try endpointOptions.resolved()
        if watch { return try await watchForChanges(endpoints: endpoints) }
        let files: [String]
        do {
            files = try ScenarioLoader.discover(paths.isEmpty ? ["scenarios"] : paths)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(2)
        }
        let outcome = await runScenarios(files, endpoints: endpoints)
        if outcome == .invalidFile { throw ExitCode(2) }
        if outcome == .failed { throw ExitCode(1) }
    }

    /// How one run of scenario files ended.
    enum Outcome { case passed, failed, invalidFile }

    /// Runs every case of `files`, unmocked Tasks calling `endpoints` (under each scenario's own),
    /// and prints the report; returns how it went (never exits).
    func runScenarios(_ files: [String], endpoints: EndpointConfiguration) async -> Outcome {
        let started = ContinuousClock.now
        let scenarios: [Scenario]
        do {
            scenarios = try ScenarioLoader.load(paths: files)
        } catch {
            printError("error: \(error.description)")
            return .invalidFile
        }
        let selected = ScenarioRunner.select(scenarios, filter: filter)
        let interactive = isatty(STDOUT_FILENO) == 1
        let reporter = TerminalReporter(useColor: interactive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        var runner = ScenarioRunner()
        if let jobs { runner.concurrency = max(1, jobs) }
        runner.collectsCoverage = collectsCoverage
        runner.endpoints = endpoints
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
                return .invalidFile
            }
        }
        let elapsed = ContinuousClock.now - started
        print(reporter.summary(results, elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        var outcome: Outcome = results.contains(where: { !$0.passed }) ? .failed : .passed
        if collectsCoverage {
            let report = CoverageReport(cases: selected, results: results)
            print("")
            print(report.table())
            do {
                if let coverageJSON { try (JSONSerializer(pretty: true).serialize(report.json()) + "\n").write(toFile: coverageJSON, atomically: true, encoding: .utf8) }
                if let coverageXML { try report.cobertura(timestamp: Int(Date().timeIntervalSince1970)).write(toFile: coverageXML, atomically: true, encoding: .utf8) }
            } catch {
                printError("error: cannot write the coverage report: \(error.localizedDescription)")
                return .invalidFile
            }
            if let minCoverage, report.percent < minCoverage {
                print("coverage \(CoverageReport.format(report.percent))% is below --min-coverage \(minCoverage)%")
                outcome = .failed
            }
        }
        return outcome
    }

    // MARK: Watch mode

    /// Runs everything once, then polls the scenario files and what they refer to (four times a
    /// second: no platform file-event API needed) and runs again each scenario whose file,
    /// definition or mock config changed, and each new scenario file.
    func watchForChanges(endpoints: EndpointConfiguration) async throws {
        let roots = paths.isEmpty ? ["scenarios"] : paths
        var files = (try? ScenarioLoader.discover(roots)) ?? []
        _ = await runScenarios(files, endpoints: endpoints)
        var watched = WatchedFiles()
        var seen = watched.modificationTimes(of: files)
        print("watching \(files.count) scenario files and the files they name; Ctrl-C stops")
        fflush(nil)
        while true {
            try await Task.sleep(for: .milliseconds(250))
            let current = (try? ScenarioLoader.discover(roots)) ?? files
            let now = watched.modificationTimes(of: current)
            let changed = Set(now.filter { seen[$0.key] != $0.value }.keys)
            files = current
            seen = now
            guard !changed.isEmpty else { continue }
            let affected = current.filter { file in
                changed.contains(file) || watched.dependencies(of: file).contains(where: changed.contains)
            }
            guard !affected.isEmpty else { continue }
            print("\nchanged: \(changed.sorted().map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")); running \(affected.count) scenario file(s)")
            _ = await runScenarios(affected, endpoints: endpoints)
            fflush(nil)
        }
    }
}

/// What watch mode polls: each scenario file and the files it names, with their modification
/// times. A scenario file is parsed for the files it names only when it has changed, not on
/// every poll.
private struct WatchedFiles {
    private var named: [String: (modified: Date, files: [String])] = [:]

    /// The files `scenarioFile` names (its definition, its mock configs), from the last parse.
    func dependencies(of scenarioFile: String) -> [String] { named[scenarioFile]?.files ?? [] }

    /// Each scenario file's and each file it names: path → modification time.
    mutating func modificationTimes(of scenarioFiles: [String]) -> [String: Date] {
        var times: [String: Date] = [:]
        for file in scenarioFiles {
            let modified = Self.modificationDate(file)
            times[file] = modified
            if named[file]?.modified != modified { named[file] = (modified, ScenarioDependencies.files(of: file)) }
            for path in named[file]?.files ?? [] { times[path] = Self.modificationDate(path) }
        }
        return times
    }

    private static func modificationDate(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date ?? .distantPast
    }
}
