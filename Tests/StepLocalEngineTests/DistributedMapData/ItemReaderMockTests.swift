import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// A mock for a Distributed Map's ItemReader: the test case maps the Map state's name to a
/// response, as it maps a Task state's, and the reader reads that answer instead of S3 (no
/// `--s3-dir`, endpoint or `s3:` section needed). Its `Return` is the object's text (decoded as the
/// reader's InputType) or the items; its `Throw` fails the read.
@Suite("Distributed Map ItemReader mocks")
struct ItemReaderMockTests {
    /// Runs `definition` with the test case `{"M": "Reader"}` whose response `Reader` is `response`,
    /// and no object store at all.
    static func run(_ definition: String, response: String, input: String = #"{"key":"orders.csv"}"#) async throws -> ExecutionSnapshot {
        let config = try MockConfigLoader.parse(
            #"{"StateMachines":{"Orders":{"TestCases":{"Case":{"M":"Reader"}}}},"MockedResponses":{"Reader":\#(response)}}"#, file: "mocks.json")
        let testCase = try #require(config.testCase(stateMachine: "Orders", name: "Case"))
        let clock = VirtualClock(start: Harness.start)
        let engine = ExecutionEngine(clock: clock, dispatcher: MockDispatcher(testCase: testCase, fallback: StubDispatcher.echo), objectStore: nil)
        return await engine.run(try StateMachineDefinition.load(definition), input: Harness.json(input), identity: Harness.identity(startTime: clock.now()))
    }

    static let csvReader = S3Harness.reader(#"{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItems":2}"#)

    @Test("a Return holding the object's text is decoded as the reader's InputType, MaxItems included")
    func textIsDecoded() async throws {
        let snapshot = try await Self.run(
            S3Harness.map(Self.csvReader), response: #"{"0":{"Return":"sku,qty\na,1\nb,2\nc,3\n"}}"#)
        expectSucceeded(snapshot, output: #"[{"sku":"a","qty":"1"},{"sku":"b","qty":"2"}]"#)
        #expect(snapshot.eventTypes.contains("MapRunSucceeded"))
    }

    @Test("a Return holding an array is the items; ItemSelector and ItemBatcher apply to them")
    func arrayIsTheItems() async throws {
        let fields = S3Harness.reader(#"{"InputType":"JSON"}"#) + #","ItemSelector":{"n.$":"$$.Map.Item.Value.n"},"ItemBatcher":{"MaxItemsPerBatch":2}"#
        let snapshot = try await Self.run(S3Harness.map(fields), response: #"{"0":{"Return":[{"n":1},{"n":2},{"n":3}]}}"#, input: #"{"key":"a.json"}"#)
        expectSucceeded(snapshot, output: #"[{"Items":[{"n":1},{"n":2}]},{"Items":[{"n":3}]}]"#)
    }

    @Test("a listObjectsV2 reader takes the listing's items from an array")
    func listing() async throws {
        let reader = S3Harness.reader("{}", resource: "listObjectsV2", parameters: #"{"Bucket":"data","Prefix":"in/"}"#)
        let items = #"[{"Key":"in/a.csv","Size":3},{"Key":"in/b.csv","Size":4}]"#
        let snapshot = try await Self.run(S3Harness.map(reader), response: #"{"0":{"Return":\#(items)}}"#)
        expectSucceeded(snapshot, output: items)
    }

    @Test("a listObjectsV2 reader given text fails loudly: a listing is items, not an object")
    func listingNeedsItems() async throws {
        let reader = S3Harness.reader("{}", resource: "listObjectsV2", parameters: #"{"Bucket":"data"}"#)
        let snapshot = try await Self.run(S3Harness.map(reader), response: #"{"0":{"Return":"a,b"}}"#)
        expectFailed(
            snapshot, error: "States.ItemReaderFailed",
            cause: "The mock for the ItemReader of state 'M' returned string: it must Return the items as an array")
    }

    @Test("a Throw fails the read as AWS records a reader failure: MapRunStarted, MapRunFailed, MapStateFailed")
    func thrown() async throws {
        let snapshot = try await Self.run(
            S3Harness.map(Self.csvReader), response: #"{"0":{"Throw":{"Error":"States.ItemReaderFailed","Cause":"Access Denied"}}}"#)
        expectFailed(snapshot, error: "States.ItemReaderFailed", cause: "Access Denied")
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed",
        ])
    }

    @Test("a text that is not what the InputType says fails as reading such an object would")
    func malformedText() async throws {
        let snapshot = try await Self.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#)), response: #"{"0":{"Return":"{\"Hello\":\"world\"}"}}"#,
            input: #"{"key":"a.json"}"#)
        expectFailed(snapshot, error: "States.ItemReaderFailed", cause: "Attempting to map over non-iterable node.")
    }

    @Test("a Map state the test case does not name reads S3 as before")
    func unmockedReadsS3() async throws {
        let snapshot = try await Self.run(
            S3Harness.map(Self.csvReader).replacingOccurrences(of: #""M""#, with: #""Other""#), response: #"{"0":{"Return":"x\n1\n"}}"#)
        expectFailed(snapshot, error: "States.ItemReaderFailed")
        #expect(snapshot.cause?.contains("--s3-dir") == true)
    }
}
