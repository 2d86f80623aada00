import Foundation
import StepLocalJSON

/// What a `steplocal test --coverage` run covered, per state machine (scenario files for the
/// same machine and definition are counted together), as a terminal table, as JSON and as the
/// Cobertura XML that CI systems display.
public struct CoverageReport: Sendable {
    /// One state machine's items and which of them some case exercised.
    public struct Machine: Sendable {
        public var name: String
        public var files: [String]
        public var model: CoverageModel
        public var covered: Set<CoverageItem>

        public var total: Int { model.items.count }
        public var hit: Int { model.items.filter(covered.contains).count }
    }

    public var machines: [Machine]

    /// `cases` and `results` in the same order, as ``ScenarioRunner/run(_:progress:)`` returns them.
    public init(cases: [(Scenario, ScenarioCase)], results: [CaseResult]) {
        var machines: [Machine] = []
        var indexByKey: [String: Int] = [:]
        for ((scenario, _), result) in zip(cases, results) {
            let key = scenario.stateMachineName + "\u{0}" + scenario.definitionText
            let index: Int
            if let known = indexByKey[key] {
                index = known
            } else {
                index = machines.count
                indexByKey[key] = index
                machines.append(Machine(name: scenario.stateMachineName, files: [], model: CoverageModel(definition: scenario.definition), covered: []))
            }
            if !machines[index].files.contains(scenario.file) { machines[index].files.append(scenario.file) }
            machines[index].covered.formUnion(result.covered ?? [])
        }
        self.machines = machines
    }

    public var total: Int { machines.reduce(0) { $0 + $1.total } }
    public var hit: Int { machines.reduce(0) { $0 + $1.hit } }
    /// Covered items over all items, in percent (100 when there is nothing to cover).
    public var percent: Double { total == 0 ? 100 : Double(hit) * 100 / Double(total) }

    // MARK: Terminal

    /// One line per machine (states, Choice rules with Defaults, Catch, Retry, total), one per
    /// Parallel branch or Map processor below it, and what was never exercised.
    public func table() -> String {
        func ratio(_ items: [CoverageItem], _ covered: Set<CoverageItem>, _ kinds: Set<CoverageItem.Kind>) -> String {
            let selected = items.filter { kinds.contains($0.kind) }
            return "\(selected.filter(covered.contains).count)/\(selected.count)"
        }
        func row(_ title: String, _ items: [CoverageItem], _ covered: Set<CoverageItem>) -> String {
            let hit = items.filter(covered.contains).count
            let percent = items.isEmpty ? 100 : Double(hit) * 100 / Double(items.count)
            let columns = [
                ratio(items, covered, [.state]), ratio(items, covered, [.choiceRule, .choiceDefault]),
                ratio(items, covered, [.catcher]), ratio(items, covered, [.retrier]), Self.format(percent) + "%",
            ]
            let line = title.padding(toLength: max(title.count, 44), withPad: " ", startingAt: 0)
                + columns.map { $0.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined()
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
        var lines = ["Coverage".padding(toLength: 44, withPad: " ", startingAt: 0) + "states    choices   catch     retry     total"]
        for machine in machines {
            lines.append(row(machine.name, machine.model.items, machine.covered))
            if machine.model.programs.count > 1 {
                for program in machine.model.programs.dropFirst() { lines.append(row("  " + program.path, program.items, machine.covered)) }
            }
            let missed = machine.model.items.filter { !machine.covered.contains($0) }
            if !missed.isEmpty {
                let shown = missed.prefix(12).map(\.label).joined(separator: ", ")
                lines.append("  not covered: " + shown + (missed.count > 12 ? ", … (\(missed.count - 12) more)" : ""))
            }
        }
        lines.append("Total: \(hit)/\(total) items, \(Self.format(percent))%")
        return lines.joined(separator: "\n")
    }

    public static func format(_ percent: Double) -> String {
        let tenths = (percent * 10).rounded(.down) / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) + ".0" : String(tenths)
    }

    // MARK: JSON

    public func json() -> JSONValue {
        .object([
            "covered": .int(hit), "total": .int(total), "percent": .double(percent),
            "stateMachines": .array(machines.map { machine in
                .object([
                    "name": .string(machine.name), "files": .array(machine.files.map { .string($0) }),
                    "covered": .int(machine.hit), "total": .int(machine.total),
                    "programs": .array(machine.model.programs.map { program in
                        .object([
                            "path": .string(program.path),
                            "items": .array(program.items.map { item in
                                var object: JSONObject = ["kind": .string(item.kind.rawValue), "state": .string(item.state)]
                                if let index = item.index { object["index"] = .int(index) }
                                object["label"] = .string(item.label)
                                object["covered"] = .bool(machine.covered.contains(item))
                                return .object(object)
                            }),
                        ])
                    }),
                ])
            }),
        ])
    }

    // MARK: Cobertura

    /// Cobertura XML (the format GitLab, Jenkins and Azure DevOps display): a package per state
    /// machine, a class per program, a "line" per coverage item (numbered in definition order).
    public func cobertura(timestamp: Int) -> String {
        func rate(_ hit: Int, _ total: Int) -> String { total == 0 ? "1" : String(Double(hit) / Double(total)) }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">"# + "\n"
        xml += #"<coverage line-rate="\#(rate(hit, total))" branch-rate="0" lines-covered="\#(hit)" lines-valid="\#(total)" branches-covered="0" branches-valid="0" complexity="0" version="steplocal" timestamp="\#(timestamp)">"# + "\n"
        xml += "  <sources><source>.</source></sources>\n  <packages>\n"
        for machine in machines {
            xml += #"    <package name="\#(Self.escape(machine.name))" line-rate="\#(rate(machine.hit, machine.total))" branch-rate="0" complexity="0">"# + "\n      <classes>\n"
            var line = 0
            for program in machine.model.programs {
                let hit = program.items.filter(machine.covered.contains).count
                let file = Self.escape(machine.files.first ?? machine.name)
                xml += #"        <class name="\#(Self.escape(program.path))" filename="\#(file)" line-rate="\#(rate(hit, program.items.count))" branch-rate="0" complexity="0">"# + "\n"
                xml += "          <methods/>\n          <lines>\n"
                for item in program.items {
                    line += 1
                    xml += #"            <line number="\#(line)" hits="\#(machine.covered.contains(item) ? 1 : 0)" branch="false"/>"# + "\n"
                }
                xml += "          </lines>\n        </class>\n"
            }
            xml += "      </classes>\n    </package>\n"
        }
        xml += "  </packages>\n</coverage>\n"
        return xml
    }

    private static func escape(_ text: String) -> String {
        JUnitReporter.escape(text)
    }
}
