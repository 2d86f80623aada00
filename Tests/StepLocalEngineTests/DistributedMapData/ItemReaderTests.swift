import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// Runs a Distributed Map over S3 objects held in memory, and keeps the store for a look afterwards.
enum S3Harness {
    static func store(_ objects: [String: [String: String]]) -> InMemoryObjectStore {
        InMemoryObjectStore(objects: objects.mapValues { $0.mapValues { Array($0.utf8) } }, now: { Harness.start })
    }

    static func run(_ definition: String, input: String = "{}", store: InMemoryObjectStore?) async throws -> ExecutionSnapshot {
        let clock = VirtualClock(start: Harness.start)
        let engine = ExecutionEngine(clock: clock, dispatcher: StubDispatcher.echo, objectStore: store)
        return await engine.run(try StateMachineDefinition.load(definition), input: Harness.json(input), identity: Harness.identity(startTime: clock.now()))
    }

    /// A machine whose one state is a Distributed Map with these extra fields and a Pass processor.
    static func map(_ fields: String, processor: String = #"{"P":{"Type":"Pass","End":true}}"#, language: String = "JSONPath") -> String {
        """
        {"QueryLanguage":"\(language)","StartAt":"M","States":{"M":{"Type":"Map",\(fields),
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":\(processor)},
          "End":true}}}
        """
    }

    static func reader(_ config: String, resource: String = "getObject", parameters: String = #"{"Bucket":"data","Key.$":"$.key"}"#) -> String {
        #""ItemReader":{"Resource":"arn:aws:states:::s3:\#(resource)","ReaderConfig":\#(config),"Parameters":\#(parameters)}"#
    }
}

/// ItemReader, from the examples of AWS's "ItemReader (Map)" page: a Distributed Map reads its
/// items from a JSON, JSON Lines, CSV or S3 inventory object, or from a bucket listing, and every
/// failure to read is States.ItemReaderFailed recorded as MapRunFailed after MapRunStarted.
@Suite("Distributed Map ItemReader")
struct ItemReaderTests {
    static let ratingsCSV = "rating,movieId,userId,timestamp\n3.5,307,1,1256677221\n4.0,481,1,1256677456\n1.0,1091,1,1256677471\n"

    @Test("CSV with the header in the first row: one object per row, every value a string")
    func csvFirstRow() async throws {
        let store = S3Harness.store(["data": ["csvDataset/ratings.csv": Self.ratingsCSV]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}"#)), input: #"{"key":"csvDataset/ratings.csv"}"#,
            store: store)
        expectSucceeded(snapshot, output: """
            [{"rating":"3.5","movieId":"307","userId":"1","timestamp":"1256677221"},
             {"rating":"4.0","movieId":"481","userId":"1","timestamp":"1256677456"},
             {"rating":"1.0","movieId":"1091","userId":"1","timestamp":"1256677471"}]
            """)
        // AWS records MapStateStarted with length 0 when an ItemReader supplies the items.
        #expect(snapshot.history[2].details["length"] == .int(0))
    }

    @Test("CSV with GIVEN headers: every row is data")
    func csvGivenHeaders() async throws {
        let store = S3Harness.store(["data": ["r.csv": "1,307,3.5,1256677221\n1,481,3.5,1256677456\n"]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["userId","movieId","rating","timestamp"]}"#)),
            input: #"{"key":"r.csv"}"#, store: store)
        expectSucceeded(snapshot, output: """
            [{"userId":"1","movieId":"307","rating":"3.5","timestamp":"1256677221"},
             {"userId":"1","movieId":"481","rating":"3.5","timestamp":"1256677456"}]
            """)
    }

    @Test("CSVDelimiter PIPE, SEMICOLON, SPACE and TAB split fields; quoted fields keep delimiters, quotes and line breaks", arguments: [
        ("PIPE", "a|b\n1|\"x|y\"\n"), ("SEMICOLON", "a;b\n1;\"x;y\"\n"), ("SPACE", "a b\n1 \"x y\"\n"), ("TAB", "a\tb\n1\t\"x\ty\"\n"),
    ])
    func csvDelimiters(delimiter: String, text: String) async throws {
        let store = S3Harness.store(["data": ["d.csv": text]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"CSV","CSVDelimiter":"\#(delimiter)"}"#)), input: #"{"key":"d.csv"}"#, store: store)
        let separator = ["PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\\t"][delimiter]!
        expectSucceeded(snapshot, output: #"[{"a":"1","b":"x\#(separator)y"}]"#)
    }

    @Test("CSV quoting: doubled quotes, a line break inside quotes, CRLF rows, blank lines skipped, whitespace kept")
    func csvQuoting() async throws {
        let store = S3Harness.store(["data": ["q.csv": "name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\r\n\r\n   ,'x'\r\n"]])
        let snapshot = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"CSV"}"#)), input: #"{"key":"q.csv"}"#, store: store)
        expectSucceeded(snapshot, output: #"[{"name":"Smith, J","note":"said \"hi\"\nthen left"},{"name":"   ","note":"'x'"}]"#)
    }

    @Test("duplicate CSV headers fail with AWS's recorded cause")
    func csvDuplicateHeaders() async throws {
        let store = S3Harness.store(["data": ["d.csv": "1,2,3\n"]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["H1","H1","H3"]}"#)),
            input: #"{"key":"d.csv"}"#, store: store)
        expectFailed(snapshot, error: "States.ItemReaderFailed", cause: "CSV headers cannot contain duplicates.")
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed",
        ])
        #expect(snapshot.history[4].details["error"] == "States.ItemReaderFailed")
    }

    @Test("a reader failure chains its events as AWS recorded (duplicate GIVEN headers): MapRunFailed after MapRunStarted, MapStateFailed after it")
    func recordedFailureChain() async throws {
        // integrations.jsonl, test_map_item_reader_csv_headers_decl_duplicate_headers: the headers
        // fail whatever the object holds.
        let definition = #"{"Comment":"MAP_ITEM_READER_BASE_CSV_HEADERS_DECL","StartAt":"MapState","States":{"MapState":{"Type":"Map","MaxConcurrency":1,"ItemReader":{"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["H1","H1","H3"]},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket.$":"$.Bucket","Key.$":"$.Key"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"PassItem","States":{"PassItem":{"Type":"Pass","End":true}}},"End":true}}}"#
        let store = S3Harness.store(["bucket-name": ["file.csv": "a,b,c\n"]])
        let snapshot = try await S3Harness.run(definition, input: #"{"Bucket":"bucket-name","Key":"file.csv"}"#, store: store)
        expectFailed(snapshot, error: "States.ItemReaderFailed", cause: "CSV headers cannot contain duplicates.")
        #expect(snapshot.history.map(\.previousEventId) == [0, 0, 2, 3, 4, 5, 6])
        #expect(snapshot.history[2].details["length"] == .int(0))
        #expect(snapshot.history[4].details == ["cause": "CSV headers cannot contain duplicates.", "error": "States.ItemReaderFailed"]
            || snapshot.history[4].details == ["error": "States.ItemReaderFailed", "cause": "CSV headers cannot contain duplicates."])
    }

    @Test("a JSON object of items, and a JSON Lines object, give one child per element or line")
    func jsonAndJSONLines() async throws {
        let store = S3Harness.store([
            "data": ["a.json": #"[{"verdict":"true"},{"verdict":"false"}]"#, "a.jsonl": "{\"n\":1}\n\n{\"n\":2}\r\n[3]\n"],
        ])
        let json = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#)), input: #"{"key":"a.json"}"#, store: store)
        expectSucceeded(json, output: #"[{"verdict":"true"},{"verdict":"false"}]"#)
        let lines = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"JSONL"}"#)), input: #"{"key":"a.jsonl"}"#, store: store)
        expectSucceeded(lines, output: #"[{"n":1},{"n":2},[3]]"#)
    }

    @Test("a JSON file holding an object fails as AWS recorded: Attempting to map over non-iterable node.")
    func jsonNotAnArray() async throws {
        let store = S3Harness.store(["data": ["o.json": #"{"items":[1]}"#]])
        let snapshot = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#)), input: #"{"key":"o.json"}"#, store: store)
        expectFailed(snapshot, error: "States.ItemReaderFailed", cause: "Attempting to map over non-iterable node.")
    }

    @Test("a bad JSON Lines line fails, naming the line")
    func jsonLinesBadLine() async throws {
        let store = S3Harness.store(["data": ["b.jsonl": "{\"n\":1}\n{oops\n"]])
        let snapshot = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"JSONL"}"#)), input: #"{"key":"b.jsonl"}"#, store: store)
        expectFailed(snapshot, error: "States.ItemReaderFailed")
        #expect(snapshot.cause?.hasPrefix("Line 2 of s3://data/b.jsonl is not valid JSON") == true)
    }

    @Test("MaxItems keeps the first items; 0 keeps all; MaxItemsPath may name a variable holding the count as text (recorded)")
    func maxItems() async throws {
        let store = S3Harness.store(["data": ["c.csv": "Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\nValue7,Value8\n"]])
        let two = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"CSV","MaxItems":2}"#)), input: #"{"key":"c.csv"}"#, store: store)
        expectSucceeded(two, output: #"[{"Col1":"Value1","Col2":"Value2"},{"Col1":"Value3","Col2":"Value4"}]"#)
        let all = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"CSV","MaxItems":0}"#)), input: #"{"key":"c.csv"}"#, store: store)
        #expect(all.output?.arrayValue?.count == 4)
        let variable = """
            {"StartAt":"Start","States":{"Start":{"Type":"Pass","Assign":{"maxItems":"2"},"Next":"M"},
              "M":{"Type":"Map",\(S3Harness.reader(#"{"InputType":"CSV","MaxItemsPath":"$maxItems"}"#)),
                "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
            """
        let fromVariable = try await S3Harness.run(variable, input: #"{"key":"c.csv"}"#, store: store)
        #expect(fromVariable.output?.arrayValue?.count == 2)
        let huge = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"CSV","MaxItemsPath":"$.max"}"#)), input: #"{"key":"c.csv","max":100000001}"#, store: store)
        #expect(huge.output?.arrayValue?.count == 4)
    }

    @Test("listObjectsV2 gives each object's Etag, Key, LastModified (seconds), Size and StorageClass, in key order, under the prefix")
    func listObjects() async throws {
        let store = S3Harness.store(["data": ["images/b.jpg": "bb", "images/a.jpg": "a", "other/c.jpg": "ccc"]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"data","Prefix":"images/"}}"#),
            store: store)
        expectSucceeded(snapshot, output: """
            [{"Etag":"\\"0cc175b9c0f1b6a831c399e269772661\\"","Key":"images/a.jpg","LastModified":1700000000,"Size":1,"StorageClass":"STANDARD"},
             {"Etag":"\\"21ad0bd836b90d08f4cf640b4c298e7c\\"","Key":"images/b.jpg","LastModified":1700000000,"Size":2,"StorageClass":"STANDARD"}]
            """)
    }

    @Test("MANIFEST reads the CSV data files an S3 inventory manifest lists, columns named by its fileSchema")
    func inventoryManifest() async throws {
        let manifest = """
            {"sourceBucket":"data","destinationBucket":"arn:aws:s3:::inventory","version":"2016-11-30","fileFormat":"CSV",
             "fileSchema":"Bucket, Key, Size, LastModifiedDate","files":[{"key":"inv/data/part-1.csv","size":10,"MD5checksum":"x"}]}
            """
        let store = S3Harness.store([
            "inventory": ["inv/manifest.json": manifest, "inv/data/part-1.csv": "\"data\",\"csvDataset/titles.csv\",\"3399671\",\"2022-11-16T00:29:32.000Z\"\n"],
        ])
        let snapshot = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"MANIFEST"}"#, parameters: #"{"Bucket":"inventory","Key":"inv/manifest.json"}"#)), store: store)
        expectSucceeded(snapshot, output: #"[{"Bucket":"data","Key":"csvDataset/titles.csv","Size":"3399671","LastModifiedDate":"2022-11-16T00:29:32.000Z"}]"#)
    }

    @Test("a gzip-compressed inventory file fails loudly: StepLocal reads them uncompressed only")
    func gzipInventory() async throws {
        let manifest = #"{"destinationBucket":"inventory","fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{"key":"p.csv.gz"}]}"#
        let store = InMemoryObjectStore(
            objects: ["inventory": ["m.json": Array(manifest.utf8), "p.csv.gz": [0x1F, 0x8B, 0x08, 0x00]]], now: { Harness.start })
        let snapshot = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"MANIFEST"}"#, parameters: #"{"Bucket":"inventory","Key":"m.json"}"#)), store: store)
        expectFailed(snapshot, error: "States.ItemReaderFailed")
        #expect(snapshot.cause?.contains("gzip-compressed") == true)
    }

    @Test("a missing key and a missing bucket fail with S3's error as the cause")
    func missingObject() async throws {
        let store = S3Harness.store(["data": [:]])
        let noKey = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#)), input: #"{"key":"nope.json"}"#, store: store)
        expectFailed(noKey, error: "States.ItemReaderFailed", cause: "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey)")
        let noBucket = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#, parameters: #"{"Bucket":"gone","Key":"k"}"#)), store: store)
        expectFailed(noBucket, error: "States.ItemReaderFailed", cause: "The specified bucket does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchBucket)")
    }

    @Test("a reader failure can be caught by name")
    func caught() async throws {
        let definition = """
            {"StartAt":"M","States":{"M":{"Type":"Map",\(S3Harness.reader(#"{"InputType":"JSON"}"#)),
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
              "Catch":[{"ErrorEquals":["States.ItemReaderFailed"],"Next":"Handled"}],"End":true},"Handled":{"Type":"Pass","End":true}}}
            """
        let snapshot = try await S3Harness.run(definition, input: #"{"key":"nope.json"}"#, store: S3Harness.store(["data": [:]]))
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["Error"] == "States.ItemReaderFailed")
    }

    @Test("without an object store the reader fails, saying how to give it one")
    func noStore() async throws {
        let snapshot = try await S3Harness.run(S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#)), input: #"{"key":"a.json"}"#, store: nil)
        expectFailed(snapshot, error: "States.ItemReaderFailed")
        #expect(snapshot.cause?.contains("--s3-dir") == true)
    }

    @Test("an execution's own store (a served scenario case's S3 data) wins over the engine's")
    func storePerExecution() async throws {
        let own = S3Harness.store(["data": ["a.json": "[\"own\"]"]])
        let shared = S3Harness.store(["data": ["a.json": "[\"shared\"]"]])
        let clock = VirtualClock(start: Harness.start)
        var engine = ExecutionEngine(clock: clock, dispatcher: StubDispatcher.echo, objectStore: shared)
        let chosen = Harness.identity().executionArn
        engine.objectStoreForExecution = { arn in arn == chosen ? own : nil }
        let definition = try StateMachineDefinition.load(S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#)))
        let snapshot = await engine.run(definition, input: ["key": "a.json"], identity: Harness.identity(startTime: clock.now()))
        expectSucceeded(snapshot, output: #"["own"]"#)
        var other = Harness.identity(startTime: clock.now())
        other.executionArn += "-other"
        expectSucceeded(await engine.run(definition, input: ["key": "a.json"], identity: other), output: #"["shared"]"#)
    }

    @Test("ItemsPath takes nothing from the input when an ItemReader gives the items (recorded)")
    func itemsPathIgnored() async throws {
        let store = S3Harness.store(["data": ["f.json": #"[["from-bucket-item-0"]]"#]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemsPath":"$.from_previous","# + S3Harness.reader(#"{"InputType":"JSON"}"#)),
            input: #"{"key":"f.json","from_previous":["from-previous-item-0"]}"#, store: store)
        expectSucceeded(snapshot, output: #"[["from-bucket-item-0"]]"#)
    }

    @Test("ItemSelector shapes each item read, with $$.Map.Item.Index and Value")
    func itemSelector() async throws {
        let store = S3Harness.store(["data": ["s.json": #"[{"id":"a"},{"id":"b"}]"#]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemSelector":{"index.$":"$$.Map.Item.Index","id.$":"$$.Map.Item.Value.id","run.$":"$.run"},"#
                + S3Harness.reader(#"{"InputType":"JSON"}"#)),
            input: #"{"key":"s.json","run":7}"#, store: store)
        expectSucceeded(snapshot, output: #"[{"index":0,"id":"a","run":7},{"index":1,"id":"b","run":7}]"#)
    }

    @Test("JSONata: Arguments name the bucket and key with expressions; MaxItems may be an expression")
    func jsonataArguments() async throws {
        let store = S3Harness.store(["data": ["j/orders.json": "[1,2,3]"]])
        let reader = #""ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":"{% $states.input.max %}"},"#
            + #""Arguments":{"Bucket":"data","Key":"{% 'j/' & $states.input.name %}"}}"#
        let snapshot = try await S3Harness.run(S3Harness.map(reader, language: "JSONata"), input: #"{"name":"orders.json","max":2}"#, store: store)
        expectSucceeded(snapshot, output: "[1,2]")
    }

    @Test("a Parameters member StepLocal does not read (VersionId) fails loudly")
    func unsupportedParameter() async throws {
        let store = S3Harness.store(["data": ["a.json": "[1]"]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(S3Harness.reader(#"{"InputType":"JSON"}"#, parameters: #"{"Bucket":"data","Key":"a.json","VersionId":"v1"}"#)), store: store)
        expectFailed(snapshot, error: "States.Runtime")
        #expect(snapshot.cause?.contains("'VersionId'") == true)
    }
}
