/// Writes a definition as a Graphviz `digraph`, for people who post-process diagrams with `dot`.
///
/// Node ids are the quoted state names. A Parallel or Map state is a cluster holding a header
/// node (id: the state name, so edges into the state point at it) and one sub-cluster per branch
/// or processor; edges out of it leave from an invisible footer node below the branches, and
/// `compound=true` with `lhead`/`ltail` clips both at the cluster's border.
struct DOTRenderer {
    let model: ProgramModel
    let statuses: [String: StateRunStatus]
    let comment: String?

    private static let statusColours: [StateRunStatus: (stroke: String, fill: String)] = [
        .succeeded: ("#2e8540", "#e8f5ea"), .failed: ("#c62828", "#fdecea"), .caught: ("#e07b00", "#fff3e0"),
        .running: ("#1565c0", "#e3f0fd"), .cancelled: ("#8a8f98", "#eceff1"), .notReached: ("#c5ccd6", "#ffffff"),
    ]

    /// Ids that are not state names: terminals, footers.
    private final class IdAllocator {
        var used: Set<String>
        init(stateNames: Set<String>) { used = stateNames }
        func make(_ base: String) -> String {
            var id = base
            while used.contains(id) { id += "_" }
            used.insert(id)
            return id
        }
    }

    private struct Context {
        var out = ""
        var clusterCounter = 0
        /// State name → the node edges *leave* from (containers: their footer) and cluster.
        var exits: [String: (node: String, cluster: String?)] = [:]
        var clusters: [String: String] = [:]
    }

    func render() -> String {
        var names = Set<String>()
        collectNames(model, into: &names)
        let ids = IdAllocator(stateNames: names)
        var context = Context()
        context.out = "digraph \"StateMachine\" {\n"
        if let comment, !comment.isEmpty { context.out += "  // \(comment.split(whereSeparator: \.isNewline).joined(separator: " "))\n" }
        context.out += "  graph [rankdir=TB, compound=true, fontname=\"Helvetica\", fontsize=11, nodesep=0.4, ranksep=0.45];\n"
        context.out += "  node [fontname=\"Helvetica\", fontsize=11, style=filled, fillcolor=\"#ffffff\", color=\"#5f6b7a\"];\n"
        context.out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#7a8594\", fontcolor=\"#44505e\"];\n"
        let start = ids.make("__start__"), end = ids.make("__end__")
        var terminals: [Int: String] = [:]
        if let endVertex = model.endVertex {
            terminals[model.root] = start
            terminals[endVertex] = end
        }
        context.out += "  \(quote(start)) [label=\"\", shape=circle, width=0.22, fixedsize=true, fillcolor=\"#1d2530\", color=\"#1d2530\"];\n"
        context.out += "  \(quote(end)) [label=\"\", shape=doublecircle, width=0.18, fixedsize=true, fillcolor=\"#1d2530\", color=\"#1d2530\"];\n"
        writeProgram(model, indent: "  ", terminals: terminals, ids: ids, context: &context)
        context.out += "}\n"
        return context.out
    }

    private func collectNames(_ program: ProgramModel, into names: inout Set<String>) {
        for vertex in program.vertices {
            if let name = vertex.stateName { names.insert(name) }
            for child in vertex.children { collectNames(child.program, into: &names) }
        }
    }

    private func quote(_ id: String) -> String { "\"\(TextEscaping.dot(id))\"" }

    private func writeProgram(
        _ program: ProgramModel, indent: String, terminals: [Int: String], ids: IdAllocator, context: inout Context
    ) {
        for vertex in program.vertices {
            guard let name = vertex.stateName, case .state(let type) = vertex.kind else { continue }
            var attributes = nodeAttributes(type: type, name: name, retryCount: vertex.retryCount, tag: vertex.containerTag)
            if vertex.children.isEmpty {
                context.out += "\(indent)\(quote(name)) [\(attributes)];\n"
                context.exits[name] = (quote(name), nil)
                continue
            }
            context.clusterCounter += 1
            let cluster = "cluster_\(context.clusterCounter)"
            context.clusters[name] = cluster
            let footer = ids.make("__\(cluster)_exit__")
            context.out += "\(indent)subgraph \(quote(cluster)) {\n"
            context.out += "\(indent)  label=\"\"; style=\"rounded,filled\"; fillcolor=\"#f7f8fa\"; color=\"\(statusStroke(name) ?? "#5f6b7a")\";\n"
            attributes += ", shape=box, style=\"rounded,filled\""
            context.out += "\(indent)  \(quote(name)) [\(attributes)];\n"
            for child in vertex.children {
                context.clusterCounter += 1
                let inner = "cluster_\(context.clusterCounter)"
                context.out += "\(indent)  subgraph \(quote(inner)) {\n"
                context.out += "\(indent)    label=\"\(TextEscaping.dot(child.title))\"; style=\"dashed,filled\"; fillcolor=\"#ffffff\"; color=\"#c5ccd6\"; fontsize=10;\n"
                writeProgram(child.program, indent: indent + "    ", terminals: [:], ids: ids, context: &context)
                context.out += "\(indent)  }\n"
                // Invisible edges keep the header above the branches and the footer below them.
                if let root = child.program.vertices[child.program.root].stateName {
                    context.out += "\(indent)  \(quote(name)) -> \(quote(root)) [style=invis\(lhead(root, context))];\n"
                }
                for (j, vertex) in child.program.vertices.enumerated() where !child.program.transitions.contains(where: { $0.from == j }) {
                    if let last = vertex.stateName {
                        context.out += "\(indent)  \(context.exits[last]?.node ?? quote(last)) -> \(quote(footer)) [style=invis\(ltail(last, context))];\n"
                    }
                }
            }
            context.out += "\(indent)  \(quote(footer)) [label=\"\", shape=point, width=0.01, style=invis];\n"
            context.out += "\(indent)}\n"
            context.exits[name] = (quote(footer), cluster)
        }
        for t in program.transitions {
            let from = program.vertices[t.from].stateName.map { context.exits[$0]?.node ?? quote($0) } ?? quote(terminals[t.from] ?? "")
            let to = program.vertices[t.to].stateName.map(quote) ?? quote(terminals[t.to] ?? "")
            var attributes: [String] = []
            if let label = t.label { attributes.append("label=\"\(TextEscaping.dot(label))\"") }
            if let full = t.fullLabel, full != t.label { attributes.append("tooltip=\"\(TextEscaping.dot(full))\"") }
            switch t.kind {
            case .catch: attributes += ["style=dashed", "color=\"#c0392b\"", "fontcolor=\"#c0392b\""]
            case .default: attributes.append("style=solid")
            default: break
            }
            attributes.append("class=\"sl-edge-\(t.kind.rawValue)\"")
            if let source = program.vertices[t.from].stateName, let cluster = context.exits[source]?.cluster {
                attributes.append("ltail=\"\(cluster)\"")
            }
            if let target = program.vertices[t.to].stateName, let cluster = context.clusters[target] {
                attributes.append("lhead=\"\(cluster)\"")
            }
            context.out += "\(indent)\(from) -> \(to) [\(attributes.joined(separator: ", "))];\n"
        }
    }

    private func lhead(_ name: String, _ context: Context) -> String {
        context.clusters[name].map { ", lhead=\"\($0)\"" } ?? ""
    }
    private func ltail(_ name: String, _ context: Context) -> String {
        context.exits[name]?.cluster.map { ", ltail=\"\($0)\"" } ?? ""
    }

    private func statusStroke(_ name: String) -> String? {
        guard !statuses.isEmpty else { return nil }
        return Self.statusColours[statuses[name] ?? .notReached]?.stroke
    }

    private func nodeAttributes(type: String, name: String, retryCount: Int, tag: String?) -> String {
        var label = name
        if let tag { label += " · \(tag)" }
        if type == "wait" { label = "⏱ " + label }
        if retryCount > 0 { label += "  ↻ \(retryCount)" }
        var attributes = ["label=\"\(TextEscaping.dot(label))\""]
        switch type {
        case "task": attributes += ["shape=box", "style=\"rounded,filled\"", "fillcolor=\"#eef4fb\"", "color=\"#3b73b9\""]
        case "pass": attributes += ["shape=box", "fillcolor=\"#f6f7f9\"", "color=\"#7a8594\""]
        case "choice": attributes += ["shape=hexagon", "fillcolor=\"#fff8e6\"", "color=\"#b7862b\""]
        case "wait": attributes += ["shape=box", "style=\"filled,diagonals\"", "fillcolor=\"#f3effa\"", "color=\"#7d5bb5\""]
        case "succeed": attributes += ["shape=box", "style=\"rounded,filled\"", "color=\"#2e8540\"", "penwidth=2"]
        case "fail": attributes += ["shape=box", "style=\"rounded,filled\"", "color=\"#c62828\"", "penwidth=2"]
        default: attributes += ["fillcolor=\"#f7f8fa\""]
        }
        if !statuses.isEmpty {
            let status = statuses[name] ?? .notReached
            let colours = Self.statusColours[status]!
            attributes += ["color=\"\(colours.stroke)\"", "fillcolor=\"\(colours.fill)\"", "penwidth=2", "class=\"sl-status-\(status.rawValue)\""]
        }
        attributes.append("tooltip=\"\(TextEscaping.dot(name))\"")
        return attributes.joined(separator: ", ")
    }
}
