import StepLocalASL
import StepLocalGraph
import StepLocalJSON
import Testing

/// The layout's promises, checked on the example definitions and on generated machines: nodes
/// never overlap, containers enclose what they hold, every transition is drawn exactly once, and
/// the same definition always gives the same bytes.
@Suite("Graph layout geometry")
struct LayoutGeometryTests {
    static let generated: [(name: String, text: String)] = [
        ("200-state chain with Choices and loops", GraphFixtures.longChain(count: 200)),
        ("Parallel in Map in Parallel", GraphFixtures.nestedContainers),
    ]

    static func allDefinitions() throws -> [(name: String, definition: StateMachineDefinition)] {
        var result: [(name: String, definition: StateMachineDefinition)] = []
        for name in GraphFixtures.scenarioNames { result.append((name, try GraphFixtures.scenarioDefinition(name))) }
        for entry in generated { result.append((entry.name, try GraphFixtures.load(entry.text))) }
        return result
    }

    @Test("The example definitions are found")
    func examplesFound() {
        #expect(GraphFixtures.scenarioNames.count >= 6)
    }

    @Test("No two nodes overlap unless one is a container holding the other")
    func noOverlaps() throws {
        for (name, definition) in try Self.allDefinitions() {
            let layout = StateMachineGraph(definition: definition).layout
            let ancestors = Self.ancestorNodes(layout)
            for a in layout.nodes.indices {
                for b in layout.nodes.indices where a < b {
                    if ancestors[a].contains(b) || ancestors[b].contains(a) { continue }
                    #expect(
                        !layout.nodes[a].rect.overlaps(layout.nodes[b].rect),
                        "\(name): \(layout.nodes[a].stateName ?? "terminal") overlaps \(layout.nodes[b].stateName ?? "terminal")")
                }
            }
            // Sibling branch boxes never overlap either.
            for a in layout.scopes.indices {
                for b in layout.scopes.indices where a < b && layout.scopes[a].parent != nil && layout.scopes[a].ownerState == layout.scopes[b].ownerState {
                    #expect(!layout.scopes[a].rect.overlaps(layout.scopes[b].rect), "\(name): branch boxes \(a) and \(b) overlap")
                }
            }
        }
    }

    @Test("Every container encloses its branch boxes, and every box its nodes")
    func containment() throws {
        for (name, definition) in try Self.allDefinitions() {
            let layout = StateMachineGraph(definition: definition).layout
            let canvas = GraphRect(x: 0, y: 0, width: layout.width, height: layout.height)
            for node in layout.nodes {
                #expect(layout.scopes[node.scope].rect.encloses(node.rect), "\(name): \(node.stateName ?? "terminal") leaves its scope")
                #expect(canvas.encloses(node.rect), "\(name): \(node.stateName ?? "terminal") is off the canvas")
                for child in node.childScopes {
                    #expect(node.rect.encloses(layout.scopes[child].rect), "\(name): \(node.stateName ?? "") does not enclose scope \(child)")
                }
            }
            for edge in layout.edges {
                for point in edge.points {
                    #expect(point.x >= 0 && point.y >= 0 && point.x <= layout.width && point.y <= layout.height, "\(name): edge off the canvas")
                }
            }
        }
    }

    @Test("Every Next, Choice rule, Default and Catch is drawn as exactly one edge")
    func oneEdgePerTransition() throws {
        for (name, definition) in try Self.allDefinitions() {
            let graph = StateMachineGraph(definition: definition)
            let expected = GraphFixtures.transitions(of: definition.program).map { "\($0.kind.rawValue) \($0.from) → \($0.to)" }.sorted()
            let drawn = graph.layout.edges.filter { ![.start, .end].contains($0.kind) }
                .map { "\($0.kind.rawValue) \($0.from ?? "") → \($0.to ?? "")" }.sorted()
            #expect(drawn == expected, "\(name)")
            let svg = graph.svg()
            var inSVG = 0
            for kind in ["next", "choice", "default", "catch"] { inSVG += svg.occurrences(of: "<path class=\"sl-edge sl-edge-\(kind)") }
            #expect(inSVG == expected.count, "\(name): SVG edges")
            #expect(svg.occurrences(of: "class=\"sl-node ") == GraphFixtures.stateCount(of: definition.program), "\(name): SVG nodes")
            #expect(graph.layout.edges.filter { $0.kind == .start }.count == 1)
        }
    }

    @Test("The same definition gives byte-identical SVG, DOT and Mermaid")
    func deterministic() throws {
        for (name, definition) in try Self.allDefinitions() {
            let statuses: [String: StateRunStatus] = [definition.program.startAt: .succeeded]
            let a = StateMachineGraph(definition: definition), b = StateMachineGraph(definition: definition)
            #expect(a.svg() == b.svg(), "\(name)")
            #expect(a.svg(statuses: statuses) == b.svg(statuses: statuses), "\(name)")
            #expect(a.dot() == b.dot(), "\(name)")
            #expect(a.mermaid(statuses: statuses) == b.mermaid(statuses: statuses), "\(name)")
        }
    }

    @Test("Loops are drawn as back edges around the side, and the 200-state chain stays compact")
    func loopsAndSize() throws {
        let layout = StateMachineGraph(definition: try GraphFixtures.load(GraphFixtures.longChain(count: 200))).layout
        let backEdges = layout.edges.filter(\.isBackEdge)
        #expect(backEdges.count >= 19)
        for edge in backEdges {
            #expect(edge.isOrthogonal)
            // The vertical run of a loop lies right of every node of its scope.
            let laneX = edge.points[2].x
            #expect(layout.nodes.filter { $0.scope == 0 }.allSatisfy { $0.rect.maxX < laneX })
        }
        #expect(layout.width < 2000, "width \(layout.width)")
    }

    @Test("Coordinates are written with at most one decimal")
    func rounding() throws {
        let document = StateMachineGraph(definition: try GraphFixtures.load(GraphFixtures.nestedContainers)).svg()
        let svg = document[(document.firstRange(of: "</style>")?.upperBound ?? document.startIndex)...]
        var digitsAfterPoint = 0, longest = 0, afterPoint = false
        for character in svg {
            if character == "." { afterPoint = true; digitsAfterPoint = 0; continue }
            if afterPoint, character.isNumber { digitsAfterPoint += 1; longest = max(longest, digitsAfterPoint) } else { afterPoint = false }
        }
        #expect(longest <= 1)
    }

    /// For each node, the indexes of the container nodes it sits inside.
    static func ancestorNodes(_ layout: GraphLayout) -> [Set<Int>] {
        var ownerOfScope: [Int: Int] = [:]
        for (i, node) in layout.nodes.enumerated() { for scope in node.childScopes { ownerOfScope[scope] = i } }
        return layout.nodes.map { node in
            var result = Set<Int>()
            var scope: Int? = node.scope
            while let s = scope, let owner = ownerOfScope[s] {
                result.insert(owner)
                scope = layout.nodes[owner].scope
            }
            return result
        }
    }
}

extension String {
    func occurrences(of needle: String) -> Int {
        var count = 0
        var rest = self[...]
        while let range = rest.firstRange(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
