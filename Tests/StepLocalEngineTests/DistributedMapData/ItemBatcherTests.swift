import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// ItemBatcher, from AWS's "ItemBatcher (Map)" page: items go to child executions in groups of
/// at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes, each child receiving
/// `{"BatchInput": ..., "Items": [...]}`.
@Suite("Distributed Map ItemBatcher")
struct ItemBatcherTests {
    static func run(_ batcher: String, items: String = "[1,2,3,4,5]", input: String? = nil) async throws -> ExecutionSnapshot {
        let definition = S3Harness.map(#""ItemsPath":"$.items","ItemBatcher":\#(batcher)"#)
        return try await S3Harness.run(definition, input: input ?? #"{"items":\#(items),"shared":"s"}"#, store: nil)
    }

    @Test("MaxItemsPerBatch groups items in order; the last batch holds the rest; no BatchInput member without BatchInput (recorded)")
    func maxItemsPerBatch() async throws {
        let snapshot = try await Self.run(#"{"MaxItemsPerBatch":2}"#)
        expectSucceeded(snapshot, output: #"[{"Items":[1,2]},{"Items":[3,4]},{"Items":[5]}]"#)
    }

    @Test("BatchInput is evaluated against the state input and given to every batch")
    func batchInput() async throws {
        let snapshot = try await Self.run(#"{"MaxItemsPerBatch":3,"BatchInput":{"factor":2,"from.$":"$.shared"}}"#)
        expectSucceeded(snapshot, output: #"[{"BatchInput":{"factor":2,"from":"s"},"Items":[1,2,3]},{"BatchInput":{"factor":2,"from":"s"},"Items":[4,5]}]"#)
    }

    @Test("MaxInputBytesPerBatch closes a batch before the child's input would pass it")
    func maxInputBytes() async throws {
        // {"Items":["aaaa","bbbb"]} is 25 bytes; a third item would make it 32.
        let snapshot = try await Self.run(#"{"MaxInputBytesPerBatch":30}"#, items: #"["aaaa","bbbb","cccc","dddd","eeee"]"#)
        expectSucceeded(snapshot, output: #"[{"Items":["aaaa","bbbb"]},{"Items":["cccc","dddd"]},{"Items":["eeee"]}]"#)
    }

    @Test("both limits: whichever is reached first ends the batch")
    func bothLimits() async throws {
        let snapshot = try await Self.run(#"{"MaxItemsPerBatch":1,"MaxInputBytesPerBatch":1000}"#, items: "[1,2]")
        expectSucceeded(snapshot, output: #"[{"Items":[1]},{"Items":[2]}]"#)
    }

    @Test("path limits may name variables holding numbers as text (recorded: \"2\" and \"15000\")")
    func pathsFromVariables() async throws {
        let definition = """
            {"StartAt":"Start","States":{"Start":{"Type":"Pass","Assign":{"maxItemsPerBatch":"2","maxBytesPerBatch":"15000"},"Next":"M"},
              "M":{"Type":"Map","ItemsPath":"$.items","ItemBatcher":{"MaxItemsPerBatchPath":"$maxItemsPerBatch","MaxInputBytesPerBatchPath":"$maxBytesPerBatch"},
                "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """
        let snapshot = try await S3Harness.run(definition, input: #"{"items":["a","b","c","d"]}"#, store: nil)
        expectSucceeded(snapshot, output: #"[{"Items":["a","b"]},{"Items":["c","d"]}]"#)
    }

    @Test("a limit of 0 from a path fails the state with States.Runtime")
    func zeroFromPath() async throws {
        let definition = S3Harness.map(#""ItemsPath":"$.items","ItemBatcher":{"MaxItemsPerBatchPath":"$.n"}"#)
        let snapshot = try await S3Harness.run(definition, input: #"{"items":[1],"n":0}"#, store: nil)
        expectFailed(snapshot, error: "States.Runtime")
    }

    @Test("an item bigger than MaxInputBytesPerBatch alone fails the run, naming the item")
    func itemTooLarge() async throws {
        let snapshot = try await Self.run(#"{"MaxInputBytesPerBatch":20}"#, items: #"["short","much too long for twenty bytes"]"#)
        expectFailed(snapshot, error: "States.Runtime")
        #expect(snapshot.cause?.contains("Item 1 (") == true, "\(snapshot.cause ?? "-")")
        #expect(snapshot.eventTypes.suffix(4) == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"])
    }

    @Test("batches are built from items an ItemReader read, after ItemSelector")
    func afterReaderAndSelector() async throws {
        let store = S3Harness.store(["data": ["o.csv": "id,qty\na,1\nb,2\nc,3\n"]])
        let definition = S3Harness.map(
            #""ItemSelector":{"sku.$":"$$.Map.Item.Value.id"},"ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"run":"r1"}},"#
                + S3Harness.reader(#"{"InputType":"CSV"}"#))
        let snapshot = try await S3Harness.run(definition, input: #"{"key":"o.csv"}"#, store: store)
        expectSucceeded(snapshot, output: #"[{"BatchInput":{"run":"r1"},"Items":[{"sku":"a"},{"sku":"b"}]},{"BatchInput":{"run":"r1"},"Items":[{"sku":"c"}]}]"#)
    }
}
