import StepLocalASL
import StepLocalJSON

/// The inputs of a Map Run's children, in child order, kept as compact JSON text in one buffer.
///
/// A Distributed Map exists for inputs too large to hold as values: a 1,000,000-row CSV read
/// as one array of row objects took 800 MB, where its rows as text take about their own size.
/// So the reader turns each item into text as it reads it (``ItemPipeline``), a child parses
/// its own input only while it runs, and a Map Run's items are never one JSON value at once.
struct ChildInputs: Sendable {
    private var text: [UInt8] = []
    /// Where each child's input ends in ``text``; it starts where the previous one ends.
    private var ends: [Int] = []
    /// With an ItemBatcher, how many items each child's batch holds; nil without one.
    private(set) var itemsPerChild: [Int]?

    init(batched: Bool = false) {
        if batched { itemsPerChild = [] }
    }

    var count: Int { ends.count }

    var isEmpty: Bool { ends.isEmpty }

    /// Adds the next child's input; `items`: how many items its batch holds (with an ItemBatcher).
    mutating func append(_ input: JSONValue, items: Int? = nil) {
        JSONSerializer().append(input, to: &text)
        ends.append(text.count)
        if let items { itemsPerChild?.append(items) }
    }

    /// Child `index`'s input as JSON text.
    func text(at index: Int) -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        return String(decoding: text[start..<ends[index]], as: UTF8.self)
    }

    /// Every input from child `index` on, as JSON text (the PENDING records of a run that stopped).
    func texts(from index: Int) -> [String] {
        (index..<count).map(text(at:))
    }
}

/// Turns a Distributed Map's items, one at a time as they are read, into its children's inputs:
/// each item through the `ItemSelector` (with `$$.Map.Item.Index` and `Value`), then grouped by
/// the `ItemBatcher`, then kept as text in ``ChildInputs``. Only the batch being filled is held
/// as values.
struct ItemPipeline {
    private let select: ((Int, JSONValue) throws(StatesError) -> JSONValue)?
    private var batcher: BatchBuilder?
    private(set) var inputs: ChildInputs
    /// How many items went in so far.
    private(set) var itemCount = 0

    init(batcher: ResolvedItemBatcher?, select: ((Int, JSONValue) throws(StatesError) -> JSONValue)?) {
        self.select = select
        self.batcher = batcher.map(BatchBuilder.init)
        inputs = ChildInputs(batched: batcher != nil)
    }

    mutating func take(_ item: JSONValue) throws(StatesError) {
        let index = itemCount
        itemCount += 1
        let selected = try select.map { f throws(StatesError) in try f(index, item) } ?? item
        guard batcher != nil else {
            inputs.append(selected)
            return
        }
        if let full = try batcher!.add(selected, index: index) { inputs.append(full.input, items: full.items) }
    }

    /// The inputs, once every item has gone in (the last batch closed).
    mutating func finish() -> ChildInputs {
        if let last = batcher?.close() { inputs.append(last.input, items: last.items) }
        return inputs
    }
}
