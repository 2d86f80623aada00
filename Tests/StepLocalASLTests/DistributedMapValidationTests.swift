import StepLocalASL
import StepLocalJSON
import Testing

/// Validation of a Distributed Map's ItemReader, ItemBatcher and ResultWriter against the values
/// and limits of AWS's "ItemReader (Map)", "ItemBatcher (Map)" and "ResultWriter (Map)" pages.
@Suite("Distributed Map data fields validation")
struct DistributedMapValidationTests {
    static func map(_ fields: String, mode: String = "DISTRIBUTED", language: String = "JSONPath") -> String {
        """
        {"QueryLanguage":"\(language)","StartAt":"S","States":{"S":{"Type":"Map",\(fields),
          "ItemProcessor":{"ProcessorConfig":{"Mode":"\(mode)"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
        """
    }

    static func messages(_ text: String) -> [String] {
        StateMachineDefinition.validate(text).filter { $0.severity == .error }.map(\.message)
    }

    @Test("the examples of AWS's pages load: CSV, JSON, JSONL, MANIFEST and listObjectsV2 readers, a batcher, writers")
    func validExamples() throws {
        let examples = [
            #""ItemReader":{"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"amzn-s3-demo-bucket","Key":"csvDataset/ratings.csv"}}"#,
            #""ItemReader":{"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["userId","movieId","rating","timestamp"],"CSVDelimiter":"PIPE"},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}}"#,
            #""ItemReader":{"ReaderConfig":{"InputType":"JSON","MaxItems":100000000},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket.$":"$.bucket","Key.$":"$.key"}}"#,
            #""ItemReader":{"ReaderConfig":{"InputType":"JSONL","MaxItemsPath":"$.max"},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}}"#,
            #""ItemReader":{"ReaderConfig":{"InputType":"MANIFEST"},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"inv/manifest.json"}}"#,
            #""ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"b","Prefix":"processData"}}"#,
            #""ItemBatcher":{"MaxItemsPerBatch":10,"MaxInputBytesPerBatch":262144,"BatchInput":{"factCheck.$":"$.check"}}"#,
            #""ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"amzn-s3-demo-destination-bucket","Prefix":"csvProcessJobs"}}"#,
            #""ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSON"}}"#,
            #""ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b"},"WriterConfig":{"Transformation":"COMPACT","OutputType":"JSONL"}}"#,
        ]
        for fields in examples {
            #expect(Self.messages(Self.map(fields)).isEmpty, "\(fields)")
            let definition = try StateMachineDefinition.load(Self.map(fields))
            #expect(definition.program.states["S"] != nil)
        }
    }

    @Test("JSONata readers and writers take Arguments, and expressions for MaxItems and MaxItemsPerBatch")
    func jsonata() {
        let fields = #""ItemReader":{"ReaderConfig":{"InputType":"JSON","MaxItems":"{% $states.input.max %}"},"Resource":"arn:aws:states:::s3:getObject","Arguments":{"Bucket":"b","Key":"{% $states.input.key %}"}},"#
            + #""ItemBatcher":{"MaxItemsPerBatch":"{% 2 %}"},"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"b","Prefix":"p"}}"#
        #expect(Self.messages(Self.map(fields, language: "JSONata")).isEmpty)
        let jsonPathInJSONata = #""ItemReader":{"ReaderConfig":{"InputType":"JSON"},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}}"#
        #expect(Self.messages(Self.map(jsonPathInJSONata, language: "JSONata")).contains("The field 'Parameters' is not supported when the query language is JSONata"))
    }

    @Test("ItemReader, ItemBatcher and ResultWriter need a DISTRIBUTED Map")
    func inlineRefused() {
        let text = Self.map(#""ItemBatcher":{"MaxItemsPerBatch":2}"#, mode: "INLINE")
        #expect(Self.messages(text) == ["The field 'ItemBatcher' is only supported in a Map whose ProcessorConfig Mode is DISTRIBUTED"])
    }

    @Test("ProcessorConfig's ExecutionType is STANDARD or EXPRESS, and gives the children's type")
    func executionType() throws {
        let fields = #""ItemsPath":"$.items""#
        for type in ["STANDARD", "EXPRESS"] {
            let text = Self.map(fields).replacingOccurrences(of: #""Mode":"DISTRIBUTED""#, with: #""Mode":"DISTRIBUTED","ExecutionType":"\#(type)""#)
            #expect(Self.messages(text).isEmpty)
            guard case .map(let spec)? = try StateMachineDefinition.load(text).program.states["S"]?.kind else {
                Issue.record("S is not a Map")
                return
            }
            #expect(spec.childExecutionType?.rawValue == type)
        }
        let wrong = Self.map(fields).replacingOccurrences(of: #""Mode":"DISTRIBUTED""#, with: #""Mode":"DISTRIBUTED","ExecutionType":"FAST""#)
        #expect(Self.messages(wrong) == ["The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]"])
    }

    @Test("reader mistakes are each reported", arguments: [
        (#"{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}}"#, "These fields are required: [InputType]"),
        (#"{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"XML"},"Parameters":{"Bucket":"b","Key":"k"}}"#,
         "The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST]"),
        (#"{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVDelimiter":"COLON"},"Parameters":{"Bucket":"b","Key":"k"}}"#,
         "The field 'CSVDelimiter' should have one of these values: [COMMA, PIPE, SEMICOLON, SPACE, TAB]"),
        (#"{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN"},"Parameters":{"Bucket":"b","Key":"k"}}"#,
         "These fields are required: [CSVHeaders]"),
        (#"{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","CSVHeaderLocation":"FIRST_ROW"},"Parameters":{"Bucket":"b","Key":"k"}}"#,
         "The field 'CSVHeaderLocation' is only used with the InputType CSV"),
        (#"{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":100000001},"Parameters":{"Bucket":"b","Key":"k"}}"#,
         "The value for the field 'MaxItems' must be at most 100000000"),
        (#"{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":-1},"Parameters":{"Bucket":"b","Key":"k"}}"#,
         "The value for the field 'MaxItems' must be a positive integer"),
        (#"{"Resource":"arn:aws:states:::s3:putObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}}"#,
         "The value for the field 'Resource' must be one of [arn:aws:states:::s3:getObject, arn:aws:states:::s3:listObjectsV2]"),
        (#"{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"}}"#, "These fields are required: [Parameters]"),
    ])
    func readerMistakes(reader: String, message: String) {
        #expect(Self.messages(Self.map(#""ItemReader":\#(reader)"#)).contains(message))
    }

    @Test("batcher and writer mistakes are each reported", arguments: [
        (#""ItemBatcher":{"BatchInput":{"a":1}}"#,
         "ItemBatcher needs at least one of [MaxItemsPerBatch, MaxItemsPerBatchPath, MaxInputBytesPerBatch, MaxInputBytesPerBatchPath]"),
        (#""ItemBatcher":{"MaxItemsPerBatch":0}"#, "The value for the field 'MaxItemsPerBatch' must be a positive integer"),
        (#""ItemBatcher":{"MaxInputBytesPerBatch":262145}"#, "The value for the field 'MaxInputBytesPerBatch' must be at most 262144"),
        (#""ItemBatcher":{"MaxItemsPerBatch":2,"MaxItemsPerBatchPath":"$.n"}"#, "Field 'MaxItemsPerBatch' and 'MaxItemsPerBatchPath' are mutually exclusive"),
        (#""ResultWriter":{}"#, "ResultWriter needs either [Resource, Parameters] or [WriterConfig], or all three"),
        (#""ResultWriter":{"Resource":"arn:aws:states:::s3:putObject"}"#, "These fields are required: [Parameters]"),
        (#""ResultWriter":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b"}}"#,
         "The value for the field 'Resource' must be arn:aws:states:::s3:putObject"),
        (#""ResultWriter":{"WriterConfig":{"Transformation":"SQUASH"}}"#, "The field 'Transformation' should have one of these values: [NONE, COMPACT, FLATTEN]"),
        (#""ResultWriter":{"WriterConfig":{"OutputType":"CSV"}}"#, "The field 'OutputType' should have one of these values: [JSON, JSONL]"),
    ])
    func batcherAndWriterMistakes(fields: String, message: String) {
        #expect(Self.messages(Self.map(fields)).contains(message), "\(Self.messages(Self.map(fields)))")
    }
}
