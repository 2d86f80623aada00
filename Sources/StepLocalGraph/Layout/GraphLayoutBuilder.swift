/// Lays out a whole definition inside out: each Parallel branch and Map processor is laid out
/// first (with ``LayeredLayout``), its container is sized to hold them side by side, and the
/// container then takes part in its own program's layout as one big node.
enum GraphLayoutBuilder {
    /// Node labels longer than this many pixels (at 12 px) are shortened with "…".
    static let maximumLabelWidth = 200.0
    static let terminalDiameter = 26.0
    static let containerHeaderHeight = 30.0
    static let containerPadding = 10.0
    static let scopeTitleHeight = 20.0
    static let scopeGap = 12.0
    static let retryBadgeWidth = 30.0
    static let edgeLabelFontSize = 10.5

    static func layout(_ model: ProgramModel) -> GraphLayout {
        let top = layoutProgram(model)
        var result = GraphLayout(width: top.width, height: top.height, nodes: [], scopes: [], edges: [])
        flatten(
            top, scope: GraphScope(id: 0, ownerState: nil, parent: nil, title: nil, rect: GraphRect(x: 0, y: 0, width: top.width, height: top.height)),
            contentOrigin: GraphPoint(x: 0, y: 0), into: &result)
        return result
    }

    // MARK: - One program, in its own coordinates

    struct LocalProgram {
        var width: Double
        var height: Double
        var nodes: [LocalNode]
        var edges: [GraphEdge]
    }

    struct LocalNode {
        var kind: GraphNode.Kind
        var stateName: String?
        var label: String
        var retryCount: Int
        var modeLabel: String?
        var rect: GraphRect
        /// Branches or processor: each box's frame relative to the container's top-left corner.
        var children: [(title: String, program: LocalProgram, frame: GraphRect)]
    }

    static func layoutProgram(_ model: ProgramModel) -> LocalProgram {
        var nodes: [LocalNode] = []
        var spans: [Double] = []
        for vertex in model.vertices {
            let node = measure(vertex)
            nodes.append(node)
            spans.append(portSpan(node))
        }
        let edges = model.transitions.map { t in
            LayeredLayout.Edge(from: t.from, to: t.to, labelWidth: t.label.map { labelWidth($0) })
        }
        let output = LayeredLayout.run(
            LayeredLayout.Input(
                sizes: nodes.map { ($0.rect.width, $0.rect.height) }, portSpans: spans, edges: edges, root: model.root,
                pinnedLast: model.endVertex))
        for i in nodes.indices {
            let c = output.centers[i]
            nodes[i].rect.x = round1(c.x - nodes[i].rect.width / 2)
            nodes[i].rect.y = round1(c.y - nodes[i].rect.height / 2)
        }
        var drawn: [GraphEdge] = []
        for (i, t) in model.transitions.enumerated() {
            drawn.append(
                GraphEdge(
                    kind: t.kind, from: model.vertices[t.from].stateName, to: model.vertices[t.to].stateName, label: t.label,
                    fullLabel: t.fullLabel, points: output.edgePoints[i].map(round1), isOrthogonal: output.isBackEdge[i],
                    isBackEdge: output.isBackEdge[i], labelPosition: output.labelPositions[i].map(round1)))
        }
        return LocalProgram(width: round1(output.width), height: round1(output.height), nodes: nodes, edges: drawn)
    }

    static func labelWidth(_ text: String) -> Double {
        TextMetrics.width(of: text, fontSize: edgeLabelFontSize) + 8
    }

    /// A vertex's size and label; containers lay out their programs here.
    static func measure(_ vertex: ProgramModel.Vertex) -> LocalNode {
        var node = LocalNode(
            kind: vertex.kind, stateName: vertex.stateName, label: "", retryCount: vertex.retryCount, modeLabel: vertex.containerTag,
            rect: GraphRect(x: 0, y: 0, width: terminalDiameter, height: terminalDiameter), children: [])
        guard case .state(let type) = vertex.kind, let name = vertex.stateName else {
            node.label = vertex.kind == .start ? "Start" : "End"
            return node
        }
        node.label = TextMetrics.truncated(name, toWidth: maximumLabelWidth)
        let textWidth = TextMetrics.width(of: node.label)
        let badge = vertex.retryCount > 0 ? retryBadgeWidth : 0
        if !vertex.children.isEmpty {
            let programs = vertex.children.map { (title: $0.title, program: layoutProgram($0.program)) }
            let innerWidth = programs.map(\.program.width).reduce(0, +) + Double(programs.count - 1) * scopeGap
            let innerHeight = programs.map { $0.program.height + scopeTitleHeight }.max() ?? 0
            let tagWidth = TextMetrics.width(of: vertex.containerTag ?? "", fontSize: 10) + 16
            let width = round1(max(textWidth + tagWidth + badge + 36, innerWidth + 2 * containerPadding, 160))
            node.rect.width = width
            node.rect.height = round1(containerHeaderHeight + innerHeight + containerPadding)
            var x = round1((width - innerWidth) / 2)
            for entry in programs {
                let frame = GraphRect(
                    x: x, y: containerHeaderHeight, width: entry.program.width, height: entry.program.height + scopeTitleHeight)
                node.children.append((title: entry.title, program: entry.program, frame: frame))
                x = round1(x + entry.program.width + scopeGap)
            }
            return node
        }
        switch type {
        case "choice":
            node.rect.width = round1(max(120, textWidth + 48 + badge))
            node.rect.height = 40
        case "succeed", "fail":
            node.rect.width = round1(max(100, textWidth + 36 + badge))
            node.rect.height = 32
        case "wait":
            node.rect.width = round1(max(120, textWidth + 50 + badge))
            node.rect.height = 36
        case "pass":
            node.rect.width = round1(max(120, textWidth + 28 + badge))
            node.rect.height = 34
        default:
            node.rect.width = round1(max(120, textWidth + 28 + badge))
            node.rect.height = 38
        }
        return node
    }

    /// How far from the centre edges may attach along the top and bottom of a node's shape.
    static func portSpan(_ node: LocalNode) -> Double {
        let half = node.rect.width / 2
        switch node.kind {
        case .start, .end: return 0
        case .state(let type):
            if !node.children.isEmpty { return max(0, half - 24) }
            switch type {
            case "choice": return max(0, half - 26)
            case "succeed", "fail": return max(0, half - node.rect.height / 2)
            default: return max(0, half - 12)
            }
        }
    }

    // MARK: - Flattening into absolute coordinates

    private static func flatten(_ program: LocalProgram, scope: GraphScope, contentOrigin: GraphPoint, into layout: inout GraphLayout) {
        layout.scopes.append(scope)
        let scopeId = scope.id
        for edge in program.edges {
            var moved = edge
            moved.points = edge.points.map { GraphPoint(x: round1($0.x + contentOrigin.x), y: round1($0.y + contentOrigin.y)) }
            moved.labelPosition = edge.labelPosition.map { GraphPoint(x: round1($0.x + contentOrigin.x), y: round1($0.y + contentOrigin.y)) }
            layout.edges.append(moved)
        }
        for node in program.nodes {
            let rect = GraphRect(
                x: round1(node.rect.x + contentOrigin.x), y: round1(node.rect.y + contentOrigin.y), width: node.rect.width,
                height: node.rect.height)
            let nodeIndex = layout.nodes.count
            layout.nodes.append(
                GraphNode(
                    kind: node.kind, stateName: node.stateName, rect: rect, scope: scopeId, label: node.label,
                    retryCount: node.retryCount, childScopes: [], modeLabel: node.modeLabel))
            for child in node.children {
                let childId = layout.scopes.count
                layout.nodes[nodeIndex].childScopes.append(childId)
                let box = GraphRect(
                    x: round1(rect.x + child.frame.x), y: round1(rect.y + child.frame.y), width: child.frame.width,
                    height: child.frame.height)
                flatten(
                    child.program,
                    scope: GraphScope(id: childId, ownerState: node.stateName, parent: scopeId, title: child.title, rect: box),
                    contentOrigin: GraphPoint(x: box.x, y: round1(box.y + scopeTitleHeight)), into: &layout)
            }
        }
    }
}

/// Rounds to one decimal, the precision of every coordinate written out.
func round1(_ value: Double) -> Double {
    (value * 10).rounded() / 10
}

func round1(_ point: GraphPoint) -> GraphPoint {
    GraphPoint(x: round1(point.x), y: round1(point.y))
}
