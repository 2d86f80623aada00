/// JUnit XML for CI systems: one `<testsuite>` per scenario file, one `<testcase>` per case,
/// and a `<failure>` holding every mismatch of a failed case.
public enum JUnitReporter {
    public static func xml(_ results: [CaseResult]) -> String {
        var groups: [(String, [CaseResult])] = []
        var index: [String: Int] = [:]
        for result in results {
            let key = result.scenario
            if let position = index[key] {
                groups[position].1.append(result)
            } else {
                index[key] = groups.count
                groups.append((key, [result]))
            }
        }
        let failures = results.filter { !$0.passed }.count
        let total = results.reduce(0) { $0 + $1.durationSeconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"steplocal\" tests=\"\(results.count)\" failures=\"\(failures)\" time=\"\(format(total))\">\n"
        for (scenario, cases) in groups {
            let suiteFailures = cases.filter { !$0.passed }.count
            let time = cases.reduce(0) { $0 + $1.durationSeconds }
            xml += "  <testsuite name=\"\(escape(scenario))\" tests=\"\(cases.count)\" failures=\"\(suiteFailures)\" time=\"\(format(time))\">\n"
            for item in cases {
                xml += "    <testcase classname=\"\(escape(item.file))\" name=\"\(escape(item.name))\" time=\"\(format(item.durationSeconds))\""
                if item.passed {
                    xml += "/>\n"
                } else {
                    let message = item.failures.first.map { String($0.split(separator: "\n").first ?? "") } ?? ""
                    xml += ">\n      <failure message=\"\(escape(message))\">\(escape(item.failures.joined(separator: "\n")))</failure>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func format(_ seconds: Double) -> String {
        String((seconds * 1_000_000).rounded() / 1_000_000)
    }
}
