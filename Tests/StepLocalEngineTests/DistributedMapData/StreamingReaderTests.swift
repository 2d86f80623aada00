import StepLocalASL
import StepLocalIntegrations
import StepLocalJSON
import Synchronization
import Testing

@testable import StepLocalEngine

/// A Distributed Map reads large inputs as a stream: the Map Run starts before its ItemReader
/// reads, DescribeMapRun counts the items read so far, and each item becomes its child's input
/// text as it is read, so the items are never one value in memory; a child parses its input
/// only while it runs.
@Suite("Distributed Map reading as a stream")
struct StreamingReaderTests {
    /// An S3 inventory of two data files: three rows, then two.
    static let manifest = """
        {"sourceBucket":"data","destinationBucket":"arn:aws:s3:::inventory","fileFormat":"CSV","fileSchema":"Bucket, Key",
         "files":[{"key":"inv/part-1.csv"},{"key":"inv/part-2.csv"}]}
        """

    static func inventory() -> InMemoryObjectStore {
        S3Harness.store([
            "inventory": [
                "inv/manifest.json": manifest, "inv/part-1.csv": "data,a\ndata,b\ndata,c\n", "inv/part-2.csv": "data,d\ndata,e\n",
            ]
        ])
    }

    static let definition = S3Harness.map(
        S3Harness.reader(#"{"InputType":"MANIFEST"}"#, parameters: #"{"Bucket":"inventory","Key":"inv/manifest.json"}"#))

    @Test("DescribeMapRun shows the items read so far while the reader is still reading")
    func countsGrowAsItemsAreRead() async throws {
        let store = GatedObjectStore(base: Self.inventory(), gatedKey: "inv/part-2.csv")
        let clock = VirtualClock(start: Harness.start)
        let engine = ExecutionEngine(clock: clock, dispatcher: StubDispatcher.echo, objectStore: store)
        let execution = engine.start(try StateMachineDefinition.load(Self.definition), input: .object([:]), identity: Harness.identity(startTime: clock.now()))

        await store.waitUntilReached()
        let run = try #require(execution.mapRuns.first, "the Map Run exists while its items are read")
        let reading = run.snapshot()
        #expect(reading.status == .running)
        #expect(reading.counts.total == 3)
        #expect(reading.counts.pending == 3)
        #expect(reading.itemCounts.total == 3)
        #expect(execution.snapshot().eventTypes.contains("MapRunStarted"))

        store.open()
        let finished = try #require(await Harness.finished(execution, within: 10))
        expectSucceeded(finished, output: #"[{"Bucket":"data","Key":"a"},{"Bucket":"data","Key":"b"},{"Bucket":"data","Key":"c"},{"Bucket":"data","Key":"d"},{"Bucket":"data","Key":"e"}]"#)
        let done = run.snapshot()
        #expect(done.counts.total == 5)
        #expect(done.counts.succeeded == 5)
        #expect(done.counts.pending == 0)
    }

    @Test("with an ItemBatcher the run counts batches as children and rows as items, once read")
    func batchedCounts() async throws {
        let definition = S3Harness.map(
            S3Harness.reader(#"{"InputType":"MANIFEST"}"#, parameters: #"{"Bucket":"inventory","Key":"inv/manifest.json"}"#)
                + #","ItemBatcher":{"MaxItemsPerBatch":2}"#)
        let clock = VirtualClock(start: Harness.start)
        let engine = ExecutionEngine(clock: clock, dispatcher: StubDispatcher.echo, objectStore: Self.inventory())
        let execution = engine.start(try StateMachineDefinition.load(definition), input: .object([:]), identity: Harness.identity(startTime: clock.now()))
        let finished = try #require(await Harness.finished(execution, within: 10))
        #expect(finished.status == .succeeded)
        let run = try #require(execution.mapRuns.first)
        let counts = run.snapshot()
        #expect(counts.counts.total == 3)
        #expect(counts.counts.succeeded == 3)
        #expect(counts.itemCounts.total == 5)
        #expect(counts.itemCounts.succeeded == 5)
        #expect(run.itemsPerChild == [2, 2, 1])
    }

    @Test("a child keeps its input as the text it was read as, and no parsed copy once it has ended")
    func childrenKeepText() async throws {
        let clock = VirtualClock(start: Harness.start)
        let engine = ExecutionEngine(clock: clock, dispatcher: StubDispatcher.echo, objectStore: Self.inventory())
        let execution = engine.start(try StateMachineDefinition.load(Self.definition), input: .object([:]), identity: Harness.identity(startTime: clock.now()))
        _ = try #require(await Harness.finished(execution, within: 10))
        let children = try #require(execution.mapRuns.first).children
        #expect(children.count == 5)
        for (child, key) in zip(children, ["a", "b", "c", "d", "e"]) {
            #expect(child.inputText == #"{"Bucket":"data","Key":"\#(key)"}"#)
            #expect(child.state.withLock { $0.parsedInput } == nil)
            // Described, the input is still the value.
            #expect(child.snapshot().input == .object(["Bucket": "data", "Key": .string(key)]))
        }
    }

    @Test("an ItemSelector error part-way through the object fails the run after MapRunStarted, no child started")
    func selectorFailureWhileReading() async throws {
        let definition = S3Harness.map(
            S3Harness.reader(#"{"InputType":"MANIFEST"}"#, parameters: #"{"Bucket":"inventory","Key":"inv/manifest.json"}"#)
                + #","ItemSelector":{"k.$":"States.StringToJson($$.Map.Item.Value.Key)"}"#)
        let clock = VirtualClock(start: Harness.start)
        let engine = ExecutionEngine(clock: clock, dispatcher: StubDispatcher.echo, objectStore: Self.inventory())
        let execution = engine.start(try StateMachineDefinition.load(definition), input: .object([:]), identity: Harness.identity(startTime: clock.now()))
        let finished = try #require(await Harness.finished(execution, within: 10))
        #expect(finished.status == .failed)
        #expect(finished.eventTypes == [
            "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed",
        ])
        #expect(try #require(execution.mapRuns.first).children.isEmpty)
    }
}

/// An object store that holds back one key until the test opens it, and says when a reader
/// has reached it: the test looks at the Map Run in between.
final class GatedObjectStore: ObjectStore {
    private let base: InMemoryObjectStore
    private let gatedKey: String
    private let reached: AsyncStream<Void>
    private let reachedContinuation: AsyncStream<Void>.Continuation
    private let gate: AsyncStream<Void>
    private let gateContinuation: AsyncStream<Void>.Continuation

    init(base: InMemoryObjectStore, gatedKey: String) {
        self.base = base
        self.gatedKey = gatedKey
        (reached, reachedContinuation) = AsyncStream<Void>.makeStream()
        (gate, gateContinuation) = AsyncStream<Void>.makeStream()
    }

    func waitUntilReached() async {
        var iterator = reached.makeAsyncIterator()
        _ = await iterator.next()
    }

    func open() { gateContinuation.finish() }

    func getObject(bucket: String, key: String) async throws(ObjectStoreError) -> [UInt8] {
        if key == gatedKey {
            reachedContinuation.yield()
            for await _ in gate {}
        }
        return try await base.getObject(bucket: bucket, key: key)
    }

    func listObjects(bucket: String, prefix: String) async throws(ObjectStoreError) -> [StoredObjectSummary] {
        try await base.listObjects(bucket: bucket, prefix: prefix)
    }

    func putObject(bucket: String, key: String, body: [UInt8]) async throws(ObjectStoreError) {
        try await base.putObject(bucket: bucket, key: key, body: body)
    }
}
