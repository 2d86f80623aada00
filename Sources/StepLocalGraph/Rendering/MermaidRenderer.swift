/// Writes a definition as a Mermaid `flowchart TD`, for Markdown files and pull requests.
///
/// Mermaid ids cannot hold arbitrary text, so states get `s0`, `s1`… in definition order
/// (depth first into containers) and keep their names as escaped `"…"` labels; the terminals are
/// `sl_start` and `sl_end`. Parallel and Map states are subgraphs holding one subgraph per
/// branch or processor.
struct MermaidRenderer {
    let model: ProgramModel
    let statuses: [String: StateRunStatus]

    private static let statusStyles: [(StateRunStatus, String)] = [
        (.succeeded, "fill:#e8f5ea,stroke:#2e8540,stroke-width:2px"),
        (.failed, "fill:#fdecea,stroke:#c62828,stroke-width:2px"),
        (.caught, "fill:#fff3e0,stroke:#e07b00,stroke-width:2px"),
        (.running, "fill:#e3f0fd,stroke:#1565c0,stroke-width:3px"),
        (.cancelled, "fill:#eceff1,stroke:#8a8f98,stroke-width:2px"),
        (.notReached, "fill:#ffffff,stroke:#c5ccd6,color:#8a8f98"),
    ]

    private struct Context {
        var lines: [String] = []
        var ids: [String: String] = [:]
        var byType: [String: [String]] = [:]
        var byStatus: [StateRunStatus: [String]] = [:]
        var edgeLines: [String] = []
    }

    func render() -> String {
        var context = Context()
        assignIds(model, &context)
        context.lines.append("flowchart TD")
        context.lines.append("    sl_start((\"Start\"))")
        writeProgram(model, indent: "    ", &context)
        context.lines.append("    sl_end(((\"End\")))")
        context.lines += context.edgeLines
        context.lines.append("    classDef terminal fill:#1d2530,stroke:#1d2530,color:#ffffff")
        context.lines.append("    class sl_start,sl_end terminal")
        for (type, style) in [("succeed", "stroke:#2e8540,stroke-width:2px"), ("fail", "stroke:#c62828,stroke-width:2px")] {
            guard let ids = context.byType[type], !ids.isEmpty else { continue }
            context.lines.append("    classDef \(type)State \(style)")
            context.lines.append("    class \(ids.joined(separator: ",")) \(type)State")
        }
        if !statuses.isEmpty {
            for (status, style) in Self.statusStyles {
                context.lines.append("    classDef \(status.rawValue) \(style)")
            }
            for (status, _) in Self.statusStyles {
                guard let ids = context.byStatus[status], !ids.isEmpty else { continue }
                context.lines.append("    class \(ids.joined(separator: ",")) \(status.rawValue)")
            }
        }
        return context.lines.joined(separator: "\n") + "\n"
    }

    private func assignIds(_ program: ProgramModel, _ context: inout Context) {
        for vertex in program.vertices {
            guard let name = vertex.stateName else { continue }
            context.ids[name] = "s\(context.ids.count)"
            for child in vertex.children { assignIds(child.program, &context) }
        }
    }

    private func writeProgram(_ program: ProgramModel, indent: String, _ context: inout Context) {
        for vertex in program.vertices {
            guard let name = vertex.stateName, let id = context.ids[name], case .state(let type) = vertex.kind else { continue }
            context.byType[type, default: []].append(id)
            if !statuses.isEmpty { context.byStatus[statuses[name] ?? .notReached, default: []].append(id) }
            var label = name
            if vertex.retryCount > 0 { label += " ↻ \(vertex.retryCount)" }
            let text = "\"\(TextEscaping.mermaid(label))\""
            if !vertex.children.isEmpty {
                let tag = vertex.containerTag.map { " · \($0)" } ?? ""
                context.lines.append("\(indent)subgraph \(id) [\"\(TextEscaping.mermaid(label + tag))\"]")
                context.lines.append("\(indent)    direction TB")
                for (i, child) in vertex.children.enumerated() {
                    context.lines.append("\(indent)    subgraph \(id)_\(i + 1) [\"\(TextEscaping.mermaid(child.title))\"]")
                    context.lines.append("\(indent)        direction TB")
                    writeProgram(child.program, indent: indent + "        ", &context)
                    context.lines.append("\(indent)    end")
                }
                context.lines.append("\(indent)end")
                continue
            }
            switch type {
            case "task": context.lines.append("\(indent)\(id)(\(text))")
            case "choice": context.lines.append("\(indent)\(id){{\(text)}}")
            case "wait": context.lines.append("\(indent)\(id)[/\(text)/]")
            case "succeed", "fail": context.lines.append("\(indent)\(id)([\(text)])")
            default: context.lines.append("\(indent)\(id)[\(text)]")
            }
        }
        for t in program.transitions {
            let from = program.vertices[t.from].stateName.flatMap { context.ids[$0] } ?? "sl_start"
            let to = program.vertices[t.to].stateName.flatMap { context.ids[$0] } ?? "sl_end"
            let arrow = t.kind == .catch ? "-.->" : "-->"
            if let label = t.label {
                context.edgeLines.append("    \(from) \(arrow)|\"\(TextEscaping.mermaid(label))\"| \(to)")
            } else {
                context.edgeLines.append("    \(from) \(arrow) \(to)")
            }
        }
    }
}
