/// A Distributed Map's `ItemBatcher`: its items go to child executions in groups instead of
/// one by one. Each child receives `{"BatchInput": ..., "Items": [...]}` (`BatchInput` only when
/// the field is given), as AWS's "ItemBatcher (Map)" page shows.
public struct ItemBatcherSpec: Sendable {
    /// `MaxItemsPerBatch` / `MaxItemsPerBatchPath`.
    public let maxItemsPerBatch: NumberSource?
    /// `MaxInputBytesPerBatch` / `MaxInputBytesPerBatchPath` (at most 256 KiB).
    public let maxInputBytesPerBatch: NumberSource?
    /// `BatchInput`: the same value in every batch, evaluated against the state's input.
    public let batchInput: PayloadTemplate?

    public init(maxItemsPerBatch: NumberSource?, maxInputBytesPerBatch: NumberSource?, batchInput: PayloadTemplate?) {
        self.maxItemsPerBatch = maxItemsPerBatch
        self.maxInputBytesPerBatch = maxInputBytesPerBatch
        self.batchInput = batchInput
    }
}
