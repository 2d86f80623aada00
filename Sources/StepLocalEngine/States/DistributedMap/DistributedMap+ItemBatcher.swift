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

    /// Groups `items`, in order, into child inputs `{"BatchInput": ..., "Items": [...]}`
    /// ("ItemBatcher (Map)"; `BatchInput` only when given, recorded). A batch ends when the next
    /// item would pass `maxItems`, or make the child's input (compact JSON, as the payload quota
    /// measures it) larger than `maxBytes`. An item that alone makes a batch too large fails the
    /// state: AWS's answer to it is not documented, so ours says which item and why.
    func batches(of items: [JSONValue]) throws(StatesError) -> [JSONValue] {
        var empty = JSONObject()
        if let batchInput { empty["BatchInput"] = batchInput }
        empty["Items"] = .array([])
        let emptySize = JSONValue.object(empty).serialized().utf8.count
        let byteLimit = min(maxBytes ?? Interpreter.payloadLimit, Interpreter.payloadLimit)
        var batches: [JSONValue] = []
        var current: [JSONValue] = []
        var currentSize = emptySize
        func close() {
            var batch = empty
            batch["Items"] = .array(current)
            batches.append(.object(batch))
            current = []
            currentSize = emptySize
        }
        for (index, item) in items.enumerated() {
            let itemBytes = item.serialized().utf8.count
            if !current.isEmpty, (maxItems.map { current.count >= $0 } ?? false) || currentSize + itemBytes + 1 > byteLimit {
                close()
            }
            // Items after the first are preceded by a comma.
            let size = itemBytes + (current.isEmpty ? 0 : 1)
            if current.isEmpty, emptySize + size > byteLimit {
                throw .runtime(
                    "Item \(index) (\(size) bytes) does not fit in a batch of at most \(byteLimit) bytes (MaxInputBytesPerBatch, or the 256 KiB payload quota)")
            }
            current.append(item)
            currentSize += size
        }
        if !current.isEmpty { close() }
        return batches
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
