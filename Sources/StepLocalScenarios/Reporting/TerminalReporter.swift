/// Text for people: a progress mark per finished case, a block per failed case with every
/// mismatch, and a summary whose last line is `N passed, N failed`.
public struct TerminalReporter: Sendable {
    public var useColor: Bool

    public init(useColor: Bool) {
        self.useColor = useColor
    }

    public func progressMark(_ result: CaseResult) -> String {
        result.passed ? paint(".", "32") : paint("F", "31")
    }

    public func failureReport(_ result: CaseResult) -> String {
        var text = paint("✗ \(result.fullName)", "31") + "  (\(result.file))\n"
        for failure in result.failures {
            let lines = failure.split(separator: "\n", omittingEmptySubsequences: false)
            text += "    - " + lines.joined(separator: "\n      ") + "\n"
        }
        return text
    }

    public func summary(_ results: [CaseResult], elapsedSeconds: Double) -> String {
        let failed = results.filter { !$0.passed }
        var text = ""
        if !failed.isEmpty {
            text += "\n" + failed.map(failureReport).joined(separator: "\n")
        }
        let seconds = (elapsedSeconds * 1000).rounded() / 1000
        text += "\nRan \(results.count) case(s) in \(seconds) s\n"
        text += "\(results.count - failed.count) passed, \(failed.count) failed"
        return text
    }

    private func paint(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
