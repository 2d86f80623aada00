import Foundation
import StepLocalJSON
import StepLocalJSONata

/// Loads the suite's case files, evaluates each case and judges it as the suite README prescribes
/// (undefined vs null, error codes at compile or run time, numeric equality, unordered results).
struct JSONataSuiteRunner {
    let root: URL
    let groupFilter: String?

    struct Report {
        var passed = 0
        var failed = 0
        var text = ""
    }

    func run() -> Report {
        var report = Report()
        let fm = FileManager.default
        var datasets: [String: JSONValue] = [:]
        let dsDir = root.appendingPathComponent("datasets")
        for f in (try? fm.contentsOfDirectory(atPath: dsDir.path)) ?? [] where f.hasSuffix(".json") {
            if let text = try? String(contentsOf: dsDir.appendingPathComponent(f), encoding: .utf8),
               let v = try? JSONValue(parsing: text) {
                datasets[String(f.dropLast(5))] = v
            }
        }
        let groupsDir = root.appendingPathComponent("groups")
        let groups = ((try? fm.contentsOfDirectory(atPath: groupsDir.path)) ?? []).sorted()
        var lines: [String] = []
        var table: [(String, Int, Int)] = []
        for group in groups {
            if let groupFilter, groupFilter != group { continue }
            let dir = groupsDir.appendingPathComponent(group)
            let files = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            var gp = 0
            var gf = 0
            for file in files {
                let url = dir.appendingPathComponent(file)
                let id = "\(group)/\(file.dropLast(5))"
                guard let text = try? String(contentsOf: url, encoding: .utf8), let parsed = try? JSONValue(parsing: text) else {
                    gf += 1
                    lines.append("FAIL \(id): case file could not be read")
                    continue
                }
                var cases: [(String, JSONValue)] = []
                if case .array(let items) = parsed {
                    for (i, c) in items.enumerated() { cases.append(("\(id)#\(i)", c)) }
                } else {
                    cases.append((id, parsed))
                }
                for (caseId, c) in cases {
                    if let failure = runCase(c, dir: dir, datasets: datasets) {
                        gf += 1
                        lines.append("FAIL \(caseId): \(failure)")
                    } else {
                        gp += 1
                    }
                }
            }
            table.append((group, gp, gf))
            report.passed += gp
            report.failed += gf
        }
        var text = lines.joined(separator: "\n") + "\n\ngroup | passed | failed\n"
        for (g, p, f) in table { text += "\(g) | \(p) | \(f)\n" }
        text += "JSONata suite: \(report.passed) passed, \(report.failed) failed"
        report.text = text
        return report
    }

    private func runCase(_ c: JSONValue, dir: URL, datasets: [String: JSONValue]) -> String? {
        var exprText: String
        if let e = c["expr"]?.stringValue {
            exprText = e
        } else if let f = c["expr-file"]?.stringValue,
                  let t = try? String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8) {
            exprText = t
        } else {
            return "no expression"
        }
        let input: JSONValue?
        if let d = c["data"] {
            input = d
        } else if let ds = c["dataset"], case .string(let name) = ds {
            guard let v = datasets[name] else { return "unknown dataset \(name)" }
            input = v
        } else {
            input = nil
        }
        var bindings: [String: JSONValue] = [:]
        if case .object(let b)? = c["bindings"] { for (k, v) in b { bindings[k] = v } }
        var limits = JSONataLimits.default
        limits.timestamp = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        if let depth = c["depth"]?.numberValue?.intValue, let time = c["timelimit"]?.numberValue?.intValue {
            limits.maximumDepth = depth
            limits.maximumSteps = time * 5_000
            limits.maximumMilliseconds = time
        }
        let short = String(exprText.replacingOccurrences(of: "\n", with: " ").prefix(80))
        let expectedCode = c["code"]?.stringValue ?? c["error"]?["code"]?.stringValue
        let result: JSONValue?
        do {
            let expression = try JSONataExpression(exprText)
            result = try expression.evaluate(input: input, bindings: bindings, limits: limits)
        } catch {
            if let expectedCode {
                return error.code == expectedCode ? nil : "\(short) — expected \(expectedCode), got \(error.code)"
            }
            return "\(short) — unexpected error \(error.code) \(error.message)"
        }
        if let expectedCode {
            return "\(short) — expected \(expectedCode), got \(result.map { $0.serialized() } ?? "undefined")"
        }
        if c["undefinedResult"] != nil {
            return result == nil ? nil : "\(short) — expected undefined, got \(result!.serialized())"
        }
        guard let expected = c["result"] else { return "case has no expectation" }
        guard let result else { return "\(short) — expected \(expected.serialized()), got undefined" }
        let unordered = c["unordered"]?.boolValue == true
        if Self.equal(expected, result, unordered: unordered) { return nil }
        return "\(short) — expected \(expected.serialized().prefix(200)), got \(result.serialized().prefix(200))"
    }

    static func equal(_ a: JSONValue, _ b: JSONValue, unordered: Bool = false) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x.doubleValue == y.doubleValue
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            if unordered {
                var remaining = y
                for item in x {
                    guard let i = remaining.firstIndex(where: { equal(item, $0) }) else { return false }
                    remaining.remove(at: i)
                }
                return true
            }
            return zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], equal(v, w) else { return false }
            }
            return true
        default: return false
        }
    }
}
