/// A state machine laid out on a plane: every node, container and edge with its coordinates. The
/// renderers draw only from it, and tests check its geometry (no overlaps, containers enclose
/// their children, one edge per transition) without parsing SVG.
///
/// Coordinates are in SVG user units with the origin at the top-left, y growing downwards, and
/// are rounded to one decimal so that output is byte-for-byte stable.
public struct GraphLayout: Sendable {
    public var width: Double
    public var height: Double
    /// States and the Start/End terminals, in drawing order (outer containers before what they hold).
    public var nodes: [GraphNode]
    /// The programs laid out: the top level (scope 0), each Parallel branch and each Map processor.
    public var scopes: [GraphScope]
    public var edges: [GraphEdge]
}

/// A point of the layout.
public struct GraphPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned rectangle of the layout.
public struct GraphRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// True when the interiors overlap (touching edges do not count).
    public func overlaps(_ other: GraphRect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    /// True when `other` lies inside this rectangle (edges may touch).
    public func encloses(_ other: GraphRect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }
}

/// One drawn node: a state (a leaf, or a Parallel/Map container) or a Start/End terminal.
public struct GraphNode: Sendable {
    public enum Kind: Sendable, Hashable {
        case start
        case end
        /// A state, with its lowercased `Type` (`task`, `choice`, `map`…).
        case state(type: String)
    }

    public var kind: Kind
    /// The state's name; nil for terminals.
    public var stateName: String?
    public var rect: GraphRect
    /// The scope the node is laid out in (an index into ``GraphLayout/scopes``).
    public var scope: Int
    /// The label drawn, shortened with "…" when the name is long.
    public var label: String
    /// How many `Retry` entries the state has (drawn as a "↻ n" badge when non-zero).
    public var retryCount: Int
    /// For Parallel and Map: the scopes laid out inside it (its branches, or its processor).
    public var childScopes: [Int]
    /// For Map: "Map" (inline) or "Distributed".
    public var modeLabel: String?
}

/// One program's area: the top level, a Parallel branch ("Branch N") or a Map's processor.
public struct GraphScope: Sendable {
    public var id: Int
    /// The container state that holds the scope; nil for the top level.
    public var ownerState: String?
    public var parent: Int?
    public var title: String?
    /// The area of its nodes (for nested scopes, the box drawn inside the container).
    public var rect: GraphRect
}

/// One drawn transition.
public struct GraphEdge: Sendable {
    public enum Kind: String, Sendable, Hashable {
        /// `Next`.
        case next
        /// A Choice rule's `Next`.
        case choice
        /// A Choice state's `Default`.
        case `default`
        /// A `Catch` entry's `Next`.
        case `catch`
        /// From the Start terminal to `StartAt`.
        case start
        /// From a state that ends the machine (End, Succeed, Fail) to the End terminal.
        case end
    }

    public var kind: Kind
    /// The source state; nil for the Start edge.
    public var from: String?
    /// The target state; nil for an End edge.
    public var to: String?
    /// The condition (choice), "Default", or the joined `ErrorEquals` (catch).
    public var label: String?
    /// The full, unshortened label text (shown as a tooltip).
    public var fullLabel: String?
    /// Polyline through which the edge runs, from the source's border to the target's border.
    public var points: [GraphPoint]
    /// True when drawn with straight, right-angled segments (loops routed around the side);
    /// otherwise segments between layers are drawn as vertical-tangent curves.
    public var isOrthogonal: Bool
    /// True for an edge that goes back up (a loop), routed around the right side.
    public var isBackEdge: Bool
    public var labelPosition: GraphPoint?
}
