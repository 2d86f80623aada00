import StepLocalASL

/// One program of a definition (the top level, a Parallel branch or a Map processor) reduced to
/// what a diagram needs: its vertices in definition order and every transition as a labelled
/// edge. The layout and the DOT/Mermaid writers all read this, so they draw the same edges.
struct ProgramModel: Sendable {
    /// A state, or the Start/End terminal of the top level.
    struct Vertex: Sendable {
        var kind: GraphNode.Kind
        var stateName: String?
        var retryCount: Int
        /// Parallel branches or the Map processor, each with its box title.
        var children: [(title: String, program: ProgramModel)]
        /// "Parallel", "Map" or "Distributed" for containers.
        var containerTag: String?
    }

    /// One transition between two vertices of the program.
    struct Transition: Sendable {
        var from: Int
        var to: Int
        var kind: GraphEdge.Kind
        var label: String?
        var fullLabel: String?
    }

    var vertices: [Vertex]
    var transitions: [Transition]
    /// The vertex the program starts at (the Start terminal at the top level).
    var root: Int
    /// The End terminal, at the top level only.
    var endVertex: Int?

    /// The longest `ErrorEquals` label drawn on a Catch edge, in characters.
    static let maximumCatchLabelLength = 32

    init(program: StateProgram, isTopLevel: Bool) {
        var vertices: [Vertex] = []
        var index: [String: Int] = [:]
        if isTopLevel {
            vertices.append(Vertex(kind: .start, stateName: nil, retryCount: 0, children: [], containerTag: nil))
        }
        for name in program.stateNames {
            guard let state = program.states[name] else { continue }
            index[name] = vertices.count
            var children: [(title: String, program: ProgramModel)] = []
            var tag: String?
            switch state.kind {
            case .parallel(let branches):
                tag = "Parallel"
                for (i, branch) in branches.enumerated() {
                    children.append((title: "Branch \(i + 1)", program: ProgramModel(program: branch, isTopLevel: false)))
                }
            case .map(let spec):
                tag = spec.isDistributed ? "Distributed" : "Map"
                children.append((title: "Item processor", program: ProgramModel(program: spec.processor, isTopLevel: false)))
            default:
                break
            }
            vertices.append(
                Vertex(
                    kind: .state(type: state.typeName.lowercased()), stateName: name, retryCount: state.retry.count,
                    children: children, containerTag: tag))
        }
        var endVertex: Int?
        if isTopLevel {
            endVertex = vertices.count
            vertices.append(Vertex(kind: .end, stateName: nil, retryCount: 0, children: [], containerTag: nil))
        }

        var transitions: [Transition] = []
        if isTopLevel, let start = index[program.startAt] {
            transitions.append(Transition(from: 0, to: start, kind: .start))
        }
        for name in program.stateNames {
            guard let state = program.states[name], let from = index[name] else { continue }
            func add(_ target: String, _ kind: GraphEdge.Kind, _ label: String? = nil, _ fullLabel: String? = nil) {
                guard let to = index[target] else { return }
                transitions.append(Transition(from: from, to: to, kind: kind, label: label, fullLabel: fullLabel))
            }
            var endsMachine = false
            switch state.kind {
            case .choice(let spec):
                for branch in spec.choices {
                    add(branch.next, .choice, ChoiceRuleLabel.short(branch.rule), ChoiceRuleLabel.full(branch.rule))
                }
                if let defaultNext = spec.defaultNext { add(defaultNext, .default, "Default", "Default") }
            default:
                if let next = state.next { add(next, .next) } else { endsMachine = true }
            }
            for catcher in state.catchers {
                let errors = catcher.errorEquals.joined(separator: ", ")
                add(catcher.next, .catch, TextMetrics.truncated(errors, toCharacters: Self.maximumCatchLabelLength), errors)
            }
            if endsMachine, let endVertex {
                transitions.append(Transition(from: from, to: endVertex, kind: .end))
            }
        }
        self.vertices = vertices
        self.transitions = transitions
        self.root = isTopLevel ? 0 : (index[program.startAt] ?? 0)
        self.endVertex = endVertex
    }
}

extension ProgramModel.Transition {
    init(from: Int, to: Int, kind: GraphEdge.Kind) {
        self.init(from: from, to: to, kind: kind, label: nil, fullLabel: nil)
    }
}
