/// The layered (Sugiyama-style) layout of one program, top to bottom, on plain numbers: the
/// caller supplies vertex sizes and edges, and gets back centres and edge routes.
///
/// The steps, each deterministic (ties broken by definition order):
/// 1. Cycles are broken by a depth-first search from the root; an edge to a vertex still on the
///    search stack is a back edge. Back edges take no part in layering: they are drawn around the
///    right-hand side, in lanes, so that loops read as loops.
/// 2. Longest-path layering over the remaining (acyclic) edges; the End terminal, when there is
///    one, is pinned to the last layer.
/// 3. A dummy vertex in every layer a long edge crosses.
/// 4. Crossing reduction: a fixed number of barycenter sweeps, keeping the order with the fewest
///    crossings.
/// 5. x-coordinates: sweeps that pull each vertex towards its neighbours' mean, each layer placed
///    by isotonic regression (pool adjacent violators) so that no two vertices ever overlap.
struct LayeredLayout {
    struct Edge {
        var from: Int
        var to: Int
        /// Width of the edge's label, if it has one.
        var labelWidth: Double?
    }

    struct Input {
        var sizes: [(width: Double, height: Double)]
        /// How far from a vertex's centre its edges may attach, on either side.
        var portSpans: [Double]
        var edges: [Edge]
        var root: Int
        var pinnedLast: Int?
    }

    struct Output {
        var centers: [GraphPoint]
        var edgePoints: [[GraphPoint]]
        var isBackEdge: [Bool]
        var labelPositions: [GraphPoint?]
        var width: Double
        var height: Double
    }

    static let margin = 16.0
    static let verticalMargin = 30.0
    static let vertexGap = 36.0
    static let dummyWidth = 14.0
    static let layerGap = 48.0
    static let labelledLayerGap = 68.0
    static let laneGap = 14.0
    static let labelHeight = 14.0
    static let crossingSweeps = 8
    static let placementSweeps = 8

    // MARK: - State

    private let input: Input
    private var n: Int { input.sizes.count }
    private var isBack: [Bool]
    private var discovery: [Int]
    private var layerOf: [Int] = []
    /// Slots: the first `n` are the vertices, then the dummies.
    private var slotWidth: [Double] = []
    private var slotLayer: [Int] = []
    private var layers: [[Int]] = []
    private var upper: [[Int]] = []
    private var lower: [[Int]] = []
    /// For each forward edge, the slots it passes through (source, dummies, target).
    private var chains: [[Int]] = []
    private var x: [Double] = []

    static func run(_ input: Input) -> Output {
        var layout = LayeredLayout(input: input)
        layout.assignLayers()
        layout.buildSlots()
        layout.reduceCrossings()
        layout.assignX()
        return layout.route()
    }

    private init(input: Input) {
        self.input = input
        self.isBack = Array(repeating: false, count: input.edges.count)
        self.discovery = Array(repeating: 0, count: input.sizes.count)
    }

    // MARK: - 1, 2: cycles and layers

    private mutating func assignLayers() {
        var outgoing = [[Int]](repeating: [], count: n)
        for (i, edge) in input.edges.enumerated() { outgoing[edge.from].append(i) }
        var color = [UInt8](repeating: 0, count: n)
        var finished: [Int] = []
        var counter = 0
        for root in [input.root] + Array(0..<n) where color[root] == 0 {
            color[root] = 1
            discovery[root] = counter
            counter += 1
            var stack: [(vertex: Int, next: Int)] = [(root, 0)]
            while let top = stack.last {
                if top.next < outgoing[top.vertex].count {
                    stack[stack.count - 1].next += 1
                    let e = outgoing[top.vertex][top.next]
                    let target = input.edges[e].to
                    if target == top.vertex || color[target] == 1 {
                        isBack[e] = true
                    } else if color[target] == 0 {
                        color[target] = 1
                        discovery[target] = counter
                        counter += 1
                        stack.append((target, 0))
                    }
                } else {
                    color[top.vertex] = 2
                    finished.append(top.vertex)
                    stack.removeLast()
                }
            }
        }
        var incoming = [[Int]](repeating: [], count: n)
        for (i, edge) in input.edges.enumerated() where !isBack[i] { incoming[edge.to].append(edge.from) }
        layerOf = Array(repeating: 0, count: n)
        // Reverse finishing order is a topological order of the forward edges.
        for v in finished.reversed() {
            for u in incoming[v] { layerOf[v] = max(layerOf[v], layerOf[u] + 1) }
        }
        if let last = input.pinnedLast {
            let deepest = (0..<n).filter { $0 != last }.map { layerOf[$0] }.max() ?? -1
            layerOf[last] = deepest + 1
        }
    }

    // MARK: - 3: dummies

    private mutating func buildSlots() {
        slotWidth = input.sizes.map(\.width)
        slotLayer = layerOf
        let layerCount = (layerOf.max() ?? 0) + 1
        layers = Array(repeating: [], count: layerCount)
        var initialKey = discovery.map(Double.init)
        chains = Array(repeating: [], count: input.edges.count)
        for (i, edge) in input.edges.enumerated() where !isBack[i] {
            var chain = [edge.from]
            for layer in stride(from: layerOf[edge.from] + 1, to: layerOf[edge.to], by: 1) {
                slotWidth.append(Self.dummyWidth)
                slotLayer.append(layer)
                initialKey.append(Double(discovery[edge.from]) + 0.5)
                chain.append(slotWidth.count - 1)
            }
            chain.append(edge.to)
            chains[i] = chain
        }
        upper = Array(repeating: [], count: slotWidth.count)
        lower = Array(repeating: [], count: slotWidth.count)
        for chain in chains where chain.count > 1 {
            for k in 0..<(chain.count - 1) {
                lower[chain[k]].append(chain[k + 1])
                upper[chain[k + 1]].append(chain[k])
            }
        }
        for slot in 0..<slotWidth.count { layers[slotLayer[slot]].append(slot) }
        for i in layers.indices {
            layers[i].sort { (initialKey[$0], $0) < (initialKey[$1], $1) }
        }
    }

    // MARK: - 4: crossings

    private mutating func reduceCrossings() {
        var best = layers
        var bestCrossings = crossings()
        guard bestCrossings > 0 else { return }
        for sweep in 0..<Self.crossingSweeps {
            if sweep % 2 == 0 {
                for i in layers.indices.dropFirst() { sortLayer(i, byNeighbours: upper) }
            } else {
                for i in layers.indices.dropLast().reversed() { sortLayer(i, byNeighbours: lower) }
            }
            let count = crossings()
            if count < bestCrossings {
                best = layers
                bestCrossings = count
                if count == 0 { break }
            }
        }
        layers = best
    }

    private func positions() -> [Int] {
        var position = Array(repeating: 0, count: slotWidth.count)
        for layer in layers { for (i, slot) in layer.enumerated() { position[slot] = i } }
        return position
    }

    private mutating func sortLayer(_ i: Int, byNeighbours neighbours: [[Int]]) {
        let position = positions()
        var keys: [Int: Double] = [:]
        for slot in layers[i] {
            let adjacent = neighbours[slot]
            keys[slot] = adjacent.isEmpty
                ? Double(position[slot]) : Double(adjacent.reduce(0) { $0 + position[$1] }) / Double(adjacent.count)
        }
        layers[i].sort { (keys[$0]!, position[$0]) < (keys[$1]!, position[$1]) }
    }

    private func crossings() -> Int {
        let position = positions()
        var total = 0
        for layer in layers.dropLast() {
            var segments: [(Int, Int)] = []
            for slot in layer { for target in lower[slot] { segments.append((position[slot], position[target])) } }
            for a in 0..<segments.count {
                for b in (a + 1)..<segments.count {
                    let (u1, l1) = segments[a], (u2, l2) = segments[b]
                    if (u1 < u2 && l1 > l2) || (u1 > u2 && l1 < l2) { total += 1 }
                }
            }
        }
        return total
    }

    // MARK: - 5: x-coordinates

    private func separation(_ a: Int, _ b: Int) -> Double {
        let gap = (a >= n && b >= n) ? Self.dummyWidth * 0.5 : (a >= n || b >= n) ? Self.vertexGap * 0.5 : Self.vertexGap
        return slotWidth[a] / 2 + slotWidth[b] / 2 + gap
    }

    private mutating func assignX() {
        x = Array(repeating: 0, count: slotWidth.count)
        for layer in layers {
            var cursor = 0.0
            for (i, slot) in layer.enumerated() {
                if i > 0 { cursor += separation(layer[i - 1], slot) }
                x[slot] = cursor
            }
        }
        for sweep in 0..<Self.placementSweeps {
            if sweep % 2 == 0 {
                for i in layers.indices.dropFirst() { place(i, towards: [upper]) }
            } else {
                for i in layers.indices.dropLast().reversed() { place(i, towards: [lower]) }
            }
        }
        for _ in 0..<2 {
            for i in layers.indices { place(i, towards: [upper, lower]) }
        }
        straightenLongEdges()
    }

    /// Puts each long edge's dummies on one vertical line (the median of their positions, or
    /// failing that the x of either end) wherever that keeps every layer's order and spacing;
    /// where no single line fits, each dummy still moves under the one above it when there is
    /// room, so long edges run in a few straight stretches instead of a staircase.
    private mutating func straightenLongEdges() {
        let position = positions()
        func fits(_ dummy: Int, at candidate: Double) -> Bool {
            let layer = layers[slotLayer[dummy]]
            let k = position[dummy]
            if k > 0, candidate - x[layer[k - 1]] < separation(layer[k - 1], dummy) - 0.01 { return false }
            if k + 1 < layer.count, x[layer[k + 1]] - candidate < separation(dummy, layer[k + 1]) - 0.01 { return false }
            return true
        }
        for _ in 0..<3 {
            for chain in chains where chain.count > 3 {
                let dummies = Array(chain.dropFirst().dropLast())
                let sorted = dummies.map { x[$0] }.sorted()
                let candidates = [sorted[sorted.count / 2], x[chain[0]], x[chain[chain.count - 1]], x[dummies[0]]]
                if let line = candidates.first(where: { c in dummies.allSatisfy { fits($0, at: c) } }) {
                    for dummy in dummies { x[dummy] = line }
                    continue
                }
                for (above, dummy) in zip(dummies, dummies.dropFirst()) where fits(dummy, at: x[above]) {
                    x[dummy] = x[above]
                }
            }
        }
    }

    /// Places layer `i` as close as possible (least squares) to the mean x of each slot's
    /// neighbours, keeping its order and the minimum separations.
    private mutating func place(_ i: Int, towards neighbourLists: [[[Int]]]) {
        let layer = layers[i]
        guard !layer.isEmpty else { return }
        var offsets = [0.0]
        for k in 1..<layer.count { offsets.append(offsets[k - 1] + separation(layer[k - 1], layer[k])) }
        var blocks: [(sum: Double, weight: Double, count: Int)] = []
        for (k, slot) in layer.enumerated() {
            var total = 0.0, count = 0.0
            for neighbours in neighbourLists {
                for other in neighbours[slot] {
                    total += x[other]
                    count += 1
                }
            }
            let desired = count > 0 ? total / count : x[slot]
            // Slots with neighbours pull harder than those without, so those settle around them.
            let weight = count > 0 ? 1.0 : 0.1
            blocks.append((sum: (desired - offsets[k]) * weight, weight: weight, count: 1))
            while blocks.count >= 2 {
                let last = blocks[blocks.count - 1], previous = blocks[blocks.count - 2]
                guard previous.sum / previous.weight > last.sum / last.weight else { break }
                blocks.removeLast(2)
                blocks.append((sum: previous.sum + last.sum, weight: previous.weight + last.weight, count: previous.count + last.count))
            }
        }
        var k = 0
        for block in blocks {
            let value = block.sum / block.weight
            for _ in 0..<block.count {
                x[layer[k]] = value + offsets[k]
                k += 1
            }
        }
    }

    // MARK: - Routing

    private func route() -> Output {
        // Vertical placement: each layer as tall as its tallest vertex, vertices centred in it.
        var layerTop: [Double] = []
        var layerHeight: [Double] = []
        var cursor = Self.verticalMargin
        var lastGap = 0.0
        for (i, layer) in layers.enumerated() {
            let height = layer.filter { $0 < n }.map { input.sizes[$0].height }.max() ?? Self.labelHeight
            layerTop.append(cursor)
            layerHeight.append(height)
            let labelled = input.edges.indices.contains { e in
                !isBack[e] && input.edges[e].labelWidth != nil && layerOf[input.edges[e].from] == i
            }
            lastGap = labelled ? Self.labelledLayerGap : Self.layerGap
            cursor += height + lastGap
        }
        let height = cursor - lastGap + Self.verticalMargin
        func top(_ v: Int) -> Double { layerTop[layerOf[v]] + (layerHeight[layerOf[v]] - input.sizes[v].height) / 2 }
        func bottom(_ v: Int) -> Double { top(v) + input.sizes[v].height }

        // Back-edge lanes, right of everything, shared by edges whose layer spans do not meet.
        let contentRight = (0..<slotWidth.count).map { x[$0] + slotWidth[$0] / 2 }.max() ?? 0
        let backEdges = input.edges.indices.filter { isBack[$0] }.sorted {
            let a = input.edges[$0], b = input.edges[$1]
            return (layerOf[a.to], layerOf[a.from], $0) < (layerOf[b.to], layerOf[b.from], $1)
        }
        var laneBottoms: [Int] = []
        var laneOf: [Int: Int] = [:]
        for e in backEdges {
            let edge = input.edges[e]
            if let lane = laneBottoms.firstIndex(where: { $0 < layerOf[edge.to] }) {
                laneOf[e] = lane
                laneBottoms[lane] = layerOf[edge.from]
            } else {
                laneOf[e] = laneBottoms.count
                laneBottoms.append(layerOf[edge.from])
            }
        }
        func laneX(_ e: Int) -> Double { contentRight + Self.vertexGap * 0.75 + Double(laneOf[e]!) * Self.laneGap }
        var runIndex: [Int: Int] = [:]
        for (k, e) in backEdges.enumerated() { runIndex[e] = k }

        // Ports: a vertex's edges attach along its bottom (out) and top (in), ordered by where
        // they go, so parallel edges stay apart.
        var outgoing = [[(edge: Int, towardsX: Double)]](repeating: [], count: n)
        var incoming = [[(edge: Int, fromX: Double)]](repeating: [], count: n)
        for (e, edge) in input.edges.enumerated() {
            if isBack[e] {
                outgoing[edge.from].append((e, laneX(e)))
                incoming[edge.to].append((e, laneX(e)))
            } else {
                let chain = chains[e]
                outgoing[edge.from].append((e, x[chain[1]]))
                incoming[edge.to].append((e, x[chain[chain.count - 2]]))
            }
        }
        var outPort = Array(repeating: 0.0, count: input.edges.count)
        var inPort = Array(repeating: 0.0, count: input.edges.count)
        for v in 0..<n {
            let span = input.portSpans[v]
            let outs = outgoing[v].sorted { ($0.towardsX, $0.edge) < ($1.towardsX, $1.edge) }
            for (k, item) in outs.enumerated() { outPort[item.edge] = x[v] + Self.portOffset(k, of: outs.count, span: span) }
            let ins = incoming[v].sorted { ($0.fromX, $0.edge) < ($1.fromX, $1.edge) }
            for (k, item) in ins.enumerated() { inPort[item.edge] = x[v] + Self.portOffset(k, of: ins.count, span: span) }
        }

        var edgePoints: [[GraphPoint]] = []
        var labelPositions: [GraphPoint?] = []
        var placedLabels: [GraphRect] = []
        for (e, edge) in input.edges.enumerated() {
            var points: [GraphPoint] = []
            var label: GraphPoint?
            if isBack[e] {
                let k = Double(runIndex[e]! % 4)
                let below = layerTop[layerOf[edge.from]] + layerHeight[layerOf[edge.from]] + 10 + 6 * k
                let above = layerTop[layerOf[edge.to]] - 10 - 6 * k
                let lane = laneX(e)
                points = [
                    GraphPoint(x: outPort[e], y: bottom(edge.from)), GraphPoint(x: outPort[e], y: below),
                    GraphPoint(x: lane, y: below), GraphPoint(x: lane, y: above),
                    GraphPoint(x: inPort[e], y: above), GraphPoint(x: inPort[e], y: top(edge.to)),
                ]
                if let width = edge.labelWidth {
                    label = Self.placeLabel(width: width, candidates: [0.5, 0.3, 0.7].map { t in
                        GraphPoint(x: outPort[e] + (lane - outPort[e]) * t, y: below - Self.labelHeight / 2 - 1)
                    }, avoiding: &placedLabels)
                }
            } else {
                let chain = chains[e]
                points.append(GraphPoint(x: outPort[e], y: bottom(edge.from)))
                for dummy in chain.dropFirst().dropLast() {
                    points.append(GraphPoint(x: x[dummy], y: layerTop[slotLayer[dummy]]))
                    points.append(GraphPoint(x: x[dummy], y: layerTop[slotLayer[dummy]] + layerHeight[slotLayer[dummy]]))
                }
                points.append(GraphPoint(x: inPort[e], y: top(edge.to)))
                if let width = edge.labelWidth {
                    let a = points[0], b = points[1]
                    label = Self.placeLabel(width: width, candidates: [0.6, 0.8, 0.4, 0.25, 0.9].map { t in
                        Self.curvePoint(from: a, to: b, at: t)
                    }, avoiding: &placedLabels)
                }
            }
            edgePoints.append(points)
            labelPositions.append(label)
        }

        // Shift everything right so that nothing (vertex, lane or label) starts left of the margin.
        var minX = (0..<slotWidth.count).map { x[$0] - slotWidth[$0] / 2 }.min() ?? 0
        var maxX = laneBottoms.isEmpty ? contentRight : contentRight + Self.vertexGap * 0.75 + Double(laneBottoms.count - 1) * Self.laneGap
        for rect in placedLabels {
            minX = min(minX, rect.x)
            maxX = max(maxX, rect.maxX)
        }
        let shift = Self.margin - minX
        let centers = (0..<n).map { v in GraphPoint(x: x[v] + shift, y: top(v) + input.sizes[v].height / 2) }
        return Output(
            centers: centers,
            edgePoints: edgePoints.map { $0.map { GraphPoint(x: $0.x + shift, y: $0.y) } },
            isBackEdge: isBack,
            labelPositions: labelPositions.map { $0.map { GraphPoint(x: $0.x + shift, y: $0.y) } },
            width: maxX + shift + Self.margin, height: height)
    }

    static func portOffset(_ k: Int, of count: Int, span: Double) -> Double {
        guard count > 1 else { return 0 }
        let step = min(12, 2 * span / Double(count - 1))
        return (Double(k) - Double(count - 1) / 2) * step
    }

    /// The point at `t` of the vertical-tangent cubic the SVG draws between two layers.
    static func curvePoint(from a: GraphPoint, to b: GraphPoint, at t: Double) -> GraphPoint {
        let midY = (a.y + b.y) / 2
        let u = 1 - t
        let px = u * u * u * a.x + 3 * u * u * t * a.x + 3 * u * t * t * b.x + t * t * t * b.x
        let py = u * u * u * a.y + 3 * u * u * t * midY + 3 * u * t * t * midY + t * t * t * b.y
        return GraphPoint(x: px, y: py)
    }

    /// The first candidate centre where a label of `width` overlaps no label placed so far.
    private static func placeLabel(width: Double, candidates: [GraphPoint], avoiding placed: inout [GraphRect]) -> GraphPoint {
        func rect(_ p: GraphPoint) -> GraphRect {
            GraphRect(x: p.x - width / 2, y: p.y - labelHeight / 2, width: width, height: labelHeight)
        }
        let chosen = candidates.first { c in !placed.contains { $0.overlaps(rect(c)) } } ?? candidates[0]
        placed.append(rect(chosen))
        return chosen
    }
}
