/// Writes a ``GraphLayout`` as a standalone SVG document. The class names are the console's
/// contract: `sl-node sl-type-<type> sl-status-<status>` groups with `data-state`, `sl-edge
/// sl-edge-<kind>` paths with `data-from`/`data-to`, `sl-edge-label` texts; the embedded
/// `<style>` only supplies defaults that the console's CSS overrides.
struct SVGRenderer {
    let layout: GraphLayout
    /// Empty: no execution, so nodes carry no `sl-status-*` class. Otherwise every state gets
    /// one, `notReached` for those missing from the dictionary.
    let statuses: [String: StateRunStatus]
    let comment: String?

    static let style = """
        .sl-graph{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:12px;background:#fff}
        .sl-label{fill:#1d2530;font-size:12px}
        .sl-node>.sl-shape{fill:#fff;stroke:#5f6b7a;stroke-width:1.5}
        .sl-type-task>.sl-shape{fill:#eef4fb;stroke:#3b73b9}
        .sl-type-pass>.sl-shape{fill:#f6f7f9;stroke:#7a8594}
        .sl-type-choice>.sl-shape{fill:#fff8e6;stroke:#b7862b}
        .sl-type-wait>.sl-shape{fill:#f3effa;stroke:#7d5bb5}
        .sl-type-succeed>.sl-shape{fill:#fff;stroke:#2e8540;stroke-width:2}
        .sl-type-fail>.sl-shape{fill:#fff;stroke:#c62828;stroke-width:2}
        .sl-type-parallel>.sl-shape,.sl-type-map>.sl-shape{fill:#f7f8fa;stroke:#5f6b7a}
        .sl-clock{fill:none;stroke:#7d5bb5;stroke-width:1.3}
        .sl-tag,.sl-scope-title{font-size:10px;fill:#5f6b7a}
        .sl-scope-box{fill:#fff;stroke:#c5ccd6;stroke-dasharray:4 3}
        .sl-terminal>.sl-shape{fill:#1d2530;stroke:#1d2530}
        .sl-terminal-end>.sl-ring{fill:none;stroke:#1d2530;stroke-width:1.5}
        .sl-retry>rect{fill:#fff;stroke:#b7862b}
        .sl-retry>text{font-size:10px;fill:#8a5a00}
        .sl-edge{fill:none;stroke:#7a8594;stroke-width:1.3}
        .sl-edge-catch{stroke:#c0392b;stroke-dasharray:5 4}
        .sl-edge-label{font-size:10.5px;fill:#44505e;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
        .sl-arrowhead{fill:#7a8594}
        .sl-arrowhead-catch{fill:#c0392b}
        .sl-status-succeeded>.sl-shape{fill:#e8f5ea;stroke:#2e8540;stroke-width:2}
        .sl-status-failed>.sl-shape{fill:#fdecea;stroke:#c62828;stroke-width:2}
        .sl-status-caught>.sl-shape{fill:#fff3e0;stroke:#e07b00;stroke-width:2}
        .sl-status-running>.sl-shape{fill:#e3f0fd;stroke:#1565c0;stroke-width:2.5}
        .sl-status-cancelled>.sl-shape{fill:#eceff1;stroke:#8a8f98;stroke-width:2}
        .sl-status-notReached{opacity:.45}
        """

    func render() -> String {
        let n = TextEscaping.number
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="sl-graph" viewBox="0 0 \(n(layout.width)) \(n(layout.height))" \
            width="\(n(layout.width))" height="\(n(layout.height))">\n
            """
        if let comment, !comment.isEmpty { out += "<desc>\(TextEscaping.xml(comment))</desc>\n" }
        out += "<style>\n\(Self.style)\n</style>\n"
        out += """
            <defs>
            <marker id="sl-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">\
            <path class="sl-arrowhead" d="M0,0L10,5L0,10z"/></marker>
            <marker id="sl-arrow-catch" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">\
            <path class="sl-arrowhead-catch" d="M0,0L10,5L0,10z"/></marker>
            </defs>\n
            """
        // Containers and their branch boxes first (backgrounds), then edges, then the nodes on top.
        out += "<g class=\"sl-containers\">\n"
        for node in layout.nodes where !node.childScopes.isEmpty { out += container(node) }
        out += "</g>\n<g class=\"sl-edges\">\n"
        for edge in layout.edges { out += self.edge(edge) }
        out += "</g>\n<g class=\"sl-nodes\">\n"
        for node in layout.nodes where node.childScopes.isEmpty { out += self.node(node) }
        out += "</g>\n</svg>\n"
        return out
    }

    private func openNodeGroup(_ node: GraphNode, type: String) -> String {
        let name = node.stateName ?? ""
        var classes = "sl-node sl-type-\(type)"
        if !statuses.isEmpty { classes += " sl-status-\((statuses[name] ?? .notReached).rawValue)" }
        return "<g class=\"\(classes)\" data-state=\"\(TextEscaping.xml(name))\"><title>\(TextEscaping.xml(name))</title>"
    }

    private func container(_ node: GraphNode) -> String {
        guard case .state(let type) = node.kind else { return "" }
        let n = TextEscaping.number
        let r = node.rect
        var out = openNodeGroup(node, type: type)
        out += "<rect class=\"sl-shape\" x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\" rx=\"8\"/>"
        let headerY = r.y + GraphLayoutBuilder.containerHeaderHeight / 2
        out += "<text class=\"sl-label\" x=\"\(n(r.x + 12))\" y=\"\(n(headerY))\" dominant-baseline=\"central\">\(TextEscaping.xml(node.label))</text>"
        var tagRight = r.maxX - 10
        if node.retryCount > 0 {
            out += retryBadge(node.retryCount, right: tagRight, midY: headerY)
            tagRight -= GraphLayoutBuilder.retryBadgeWidth
        }
        if let tag = node.modeLabel {
            out += "<text class=\"sl-tag\" x=\"\(n(tagRight))\" y=\"\(n(headerY))\" text-anchor=\"end\" dominant-baseline=\"central\">\(TextEscaping.xml(tag))</text>"
        }
        out += "</g>\n"
        for scopeId in node.childScopes {
            let scope = layout.scopes[scopeId]
            let b = scope.rect
            out += "<g class=\"sl-scope\" data-scope=\"\(scopeId)\" data-owner=\"\(TextEscaping.xml(node.stateName ?? ""))\">"
            out += "<rect class=\"sl-scope-box\" x=\"\(n(b.x))\" y=\"\(n(b.y))\" width=\"\(n(b.width))\" height=\"\(n(b.height))\" rx=\"6\"/>"
            out += "<text class=\"sl-scope-title\" x=\"\(n(b.x + 8))\" y=\"\(n(b.y + 13))\">\(TextEscaping.xml(scope.title ?? ""))</text></g>\n"
        }
        return out
    }

    private func retryBadge(_ count: Int, right: Double, midY: Double) -> String {
        let n = TextEscaping.number
        let width = GraphLayoutBuilder.retryBadgeWidth - 4
        return "<g class=\"sl-retry\"><title>\(count) retrier\(count == 1 ? "" : "s")</title>"
            + "<rect x=\"\(n(right - width))\" y=\"\(n(midY - 8))\" width=\"\(n(width))\" height=\"16\" rx=\"8\"/>"
            + "<text x=\"\(n(right - width / 2))\" y=\"\(n(midY))\" text-anchor=\"middle\" dominant-baseline=\"central\">↻ \(count)</text></g>"
    }

    private func node(_ node: GraphNode) -> String {
        let n = TextEscaping.number
        let r = node.rect
        switch node.kind {
        case .start:
            return "<g class=\"sl-terminal sl-terminal-start\"><title>Start</title>"
                + "<circle class=\"sl-shape\" cx=\"\(n(r.midX))\" cy=\"\(n(r.midY))\" r=\"\(n(r.width / 2 - 3))\"/></g>\n"
        case .end:
            return "<g class=\"sl-terminal sl-terminal-end\"><title>End</title>"
                + "<circle class=\"sl-ring\" cx=\"\(n(r.midX))\" cy=\"\(n(r.midY))\" r=\"\(n(r.width / 2))\"/>"
                + "<circle class=\"sl-shape\" cx=\"\(n(r.midX))\" cy=\"\(n(r.midY))\" r=\"\(n(r.width / 2 - 5))\"/></g>\n"
        case .state(let type):
            var out = openNodeGroup(node, type: type)
            var labelX = r.midX
            switch type {
            case "choice":
                let inset = 14.0
                let points = [
                    (r.x + inset, r.y), (r.maxX - inset, r.y), (r.maxX, r.midY), (r.maxX - inset, r.maxY), (r.x + inset, r.maxY), (r.x, r.midY),
                ].map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
                out += "<polygon class=\"sl-shape\" points=\"\(points)\"/>"
            case "wait":
                out += rect(r, radius: 4)
                let cx = r.x + 16, cy = r.midY
                out += "<circle class=\"sl-clock\" cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"7\"/>"
                out += "<path class=\"sl-clock\" d=\"M\(n(cx)),\(n(cy - 4.5))V\(n(cy))H\(n(cx + 3.5))\"/>"
                labelX += 11
            case "succeed", "fail":
                out += rect(r, radius: r.height / 2)
            case "pass":
                out += rect(r, radius: 0)
            default:
                out += rect(r, radius: 8)
            }
            if node.retryCount > 0 {
                out += retryBadge(node.retryCount, right: r.maxX - 6, midY: r.midY)
                labelX -= GraphLayoutBuilder.retryBadgeWidth / 2
            }
            out += "<text class=\"sl-label\" x=\"\(n(labelX))\" y=\"\(n(r.midY))\" text-anchor=\"middle\" dominant-baseline=\"central\">"
            out += "\(TextEscaping.xml(node.label))</text></g>\n"
            return out
        }
    }

    private func rect(_ r: GraphRect, radius: Double) -> String {
        let n = TextEscaping.number
        var out = "<rect class=\"sl-shape\" x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\""
        if radius > 0 { out += " rx=\"\(n(radius))\"" }
        return out + "/>"
    }

    private func edge(_ edge: GraphEdge) -> String {
        let n = TextEscaping.number
        guard let first = edge.points.first else { return "" }
        var d = "M\(n(first.x)),\(n(first.y))"
        for (a, b) in zip(edge.points, edge.points.dropFirst()) {
            if edge.isOrthogonal || a.x == b.x {
                d += "L\(n(b.x)),\(n(b.y))"
            } else {
                let midY = (a.y + b.y) / 2
                d += "C\(n(a.x)),\(n(midY)) \(n(b.x)),\(n(midY)) \(n(b.x)),\(n(b.y))"
            }
        }
        var classes = "sl-edge sl-edge-\(edge.kind.rawValue)"
        if edge.isBackEdge { classes += " sl-edge-loop" }
        var ends = ""
        if let from = edge.from { ends += " data-from=\"\(TextEscaping.xml(from))\"" }
        if let to = edge.to { ends += " data-to=\"\(TextEscaping.xml(to))\"" }
        let marker = edge.kind == .catch ? "sl-arrow-catch" : "sl-arrow"
        var out = "<path class=\"\(classes)\"\(ends) d=\"\(d)\" marker-end=\"url(#\(marker))\"/>\n"
        if let label = edge.label, let at = edge.labelPosition {
            out += "<text class=\"sl-edge-label\"\(ends) x=\"\(n(at.x))\" y=\"\(n(at.y))\" text-anchor=\"middle\" dominant-baseline=\"central\">"
            if let full = edge.fullLabel, full != label { out += "<title>\(TextEscaping.xml(full))</title>" }
            out += "\(TextEscaping.xml(label))</text>\n"
        }
        return out
    }
}
