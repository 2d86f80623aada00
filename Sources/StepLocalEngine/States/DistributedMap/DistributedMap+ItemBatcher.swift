import StepLocalASL
import StepLocalJSON

/// A Distributed Map's ItemBatcher with its fields evaluated.
struct ResolvedItemBatcher: Sendable {
    /// Nil: no item count limit.
    let maxItems: Int?
    /// Nil: no byte limit beyond the 256 KiB payload quota.
    let maxBytes: Int?
    /// `BatchInput`, evaluated once against the state's input; nil when the field is absent.
    let batchInput: JSONValue?
}

/// Fills one batch at a time, items in order, into child inputs `{"BatchInput": ..., "Items": [...]}`
/// ("ItemBatcher (Map)"; `BatchInput` only when given, recorded). A batch ends when the next
/// item would pass `maxItems`, or make the child's input (compact JSON, as the payload quota
/// measures it) larger than `maxBytes`. An item that alone makes a batch too large fails the
/// state: AWS's answer to it is not documented, so ours says which item and why.
struct BatchBuilder {
    private let maxItems: Int?
    private let byteLimit: Int
    private let empty: JSONObject
    private let emptySize: Int
    private var current: [JSONValue] = []
    private var currentSize: Int

    init(_ batcher: ResolvedItemBatcher) {
        var empty = JSONObject()
        if let batchInput = batcher.batchInput { empty["BatchInput"] = batchInput }
        empty["Items"] = .array([])
        self.empty = empty
        emptySize = JSONValue.object(empty).serialized().utf8.count
        maxItems = batcher.maxItems
        byteLimit = min(batcher.maxBytes ?? Interpreter.payloadLimit, Interpreter.payloadLimit)
        currentSize = emptySize
    }

    /// Adds item `index`; returns the batch it closed to make room, if it did.
    mutating func add(_ item: JSONValue, index: Int) throws(StatesError) -> (input: JSONValue, items: Int)? {
        let itemBytes = item.serialized().utf8.count
        var closed: (input: JSONValue, items: Int)? = nil
        if !current.isEmpty, (maxItems.map { current.count >= $0 } ?? false) || currentSize + itemBytes + 1 > byteLimit {
            closed = close()
        }
        // Items after the first are preceded by a comma.
        let size = itemBytes + (current.isEmpty ? 0 : 1)
        if current.isEmpty, emptySize + size > byteLimit {
            throw .runtime(
                "Item \(index) (\(size) bytes) does not fit in a batch of at most \(byteLimit) bytes (MaxInputBytesPerBatch, or the 256 KiB payload quota)")
        }
        current.append(item)
        currentSize += size
        return closed
    }

    /// Closes the batch being filled; nil when it holds no item.
    mutating func close() -> (input: JSONValue, items: Int)? {
        guard !current.isEmpty else { return nil }
        var batch = empty
        batch["Items"] = .array(current)
        let count = current.count
        current = []
        currentSize = emptySize
        return (.object(batch), count)
    }
}

extension Interpreter {
    /// Evaluates the batcher's limits (numbers, or strings holding numbers, from a path) and
    /// `BatchInput`. A limit of 0 or less fails the state with States.Runtime.
    func resolveItemBatcher(_ spec: ItemBatcherSpec, scope: StateScope, effectiveInput: JSONValue, frame: Frame) throws(StatesError) -> ResolvedItemBatcher {
        let input = scope.isJSONata ? scope.rawInput : effectiveInput
        func limit(_ source: NumberSource?) throws(StatesError) -> Int? {
            guard let source else { return nil }
            let value = try scope.readerInteger(source, input: input, frame: frame)
            guard value > 0 else { throw scope.located(.runtime("The \(source.fieldName) field must be a positive integer, but was \(value)")) }
            return value
        }
        let maxItems = try limit(spec.maxItemsPerBatch)
        let maxBytes = try limit(spec.maxInputBytesPerBatch)
        let batchInput = try spec.batchInput.map { t throws(StatesError) in try scope.evaluate(t, input: input, frame: frame) }
        return ResolvedItemBatcher(maxItems: maxItems, maxBytes: maxBytes, batchInput: batchInput)
    }
}
