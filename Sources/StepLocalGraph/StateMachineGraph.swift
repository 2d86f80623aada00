import StepLocalASL
import StepLocalJSON

/// A state machine definition as a diagram: laid out once, then written as SVG (for the web
/// console and `steplocal graph`), Graphviz DOT or Mermaid, optionally coloured by how an
/// execution went (``ExecutionGraphStatus``).
///
/// State names are unique across a whole definition, Parallel branches and Map processors
/// included, so a name identifies a node in every format. The same definition always gives
/// byte-identical output.
public struct StateMachineGraph: Sendable {
    /// Where every node and edge is drawn; the SVG is written from it.
    public let layout: GraphLayout
    let model: ProgramModel
    let comment: String?

    /// Lays out `definition` (``StateMachineDefinition/load(_:type:)`` in StepLocalASL).
    public init(definition: StateMachineDefinition) {
        let model = ProgramModel(program: definition.program, isTopLevel: true)
        self.model = model
        self.comment = definition.comment
        self.layout = GraphLayoutBuilder.layout(model)
    }

    /// A standalone SVG document (root `<svg class="sl-graph">` with a viewBox, width and height).
    /// With `statuses` empty, nodes carry no `sl-status-*` class; otherwise each state carries
    /// its status, `sl-status-notReached` when it is missing from the dictionary.
    public func svg(statuses: [String: StateRunStatus] = [:]) -> String {
        SVGRenderer(layout: layout, statuses: statuses, comment: comment).render()
    }

    /// A Graphviz `digraph`, Parallel branches and Map processors as clusters.
    public func dot(statuses: [String: StateRunStatus] = [:]) -> String {
        DOTRenderer(model: model, statuses: statuses, comment: comment).render()
    }

    /// A Mermaid `flowchart TD`, containers as subgraphs, with a `classDef` per status when
    /// `statuses` is not empty.
    public func mermaid(statuses: [String: StateRunStatus] = [:]) -> String {
        MermaidRenderer(model: model, statuses: statuses).render()
    }
}
