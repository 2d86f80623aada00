import Foundation
import StepLocalJSON
import StepLocalScenarios
import Testing

/// A scenario's `s3:` section (the buckets and objects its Distributed Maps read and write, in
/// memory) and `expect: s3:` (what must have been written, a key pattern where `*` stands for
/// the map run's id).
@Suite("Scenario S3 data")
struct ScenarioS3Tests {
    static let root = ScenarioRunnerTests.repositoryRoot

    static func run(_ text: String) async throws -> [CaseResult] {
        let scenario = try ScenarioLoader.parse(text, file: root.appendingPathComponent("scenarios/inline.yaml").path)
        return await ScenarioRunner().run(ScenarioRunner.select([scenario], filter: nil))
    }

    static let definition = """
        definition:
          StartAt: M
          States:
            M:
              Type: Map
              ItemReader:
                Resource: arn:aws:states:::s3:getObject
                ReaderConfig: { InputType: JSON }
                Parameters: { Bucket: in, Key: items.json }
              ItemProcessor:
                ProcessorConfig: { Mode: DISTRIBUTED }
                StartAt: P
                States: { P: { Type: Pass, End: true } }
              ResultWriter:
                Resource: arn:aws:states:::s3:putObject
                Parameters: { Bucket: out, Prefix: runs }
                WriterConfig: { Transformation: COMPACT, OutputType: JSONL }
              End: true
        """

    @Test("objects given inline, as JSON, or from a file; the file's s3 is laid over by the case's; written results are checked")
    func readsAndWrites() async throws {
        let results = try await Self.run(Self.definition + """

            s3:
              in: { items.json: { json: [1, 2] } }
              out: {}
            cases:
              - name: from the file's section
                expect:
                  s3:
                    - { bucket: out, key: "runs/*/SUCCEEDED_0.jsonl", text: "1\\n2\\n" }
                    - { bucket: out, key: "runs/*/manifest.json", jsonContains: { DestinationBucket: out } }
              - name: the case's own object
                s3: { in: { items.json: '["x"]' } }
                expect:
                  s3: [{ bucket: out, key: "runs/*/SUCCEEDED_0.jsonl", text: "\\"x\\"\\n" }]
              - name: from a file beside the scenario
                s3: { in: { items.json: { file: data/orders.csv } } }
                expect: { error: States.ItemReaderFailed }
            """)
        #expect(results.count == 3)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
    }

    @Test("an expectation no object matches fails, listing what the bucket holds; a content mismatch shows the difference")
    func expectationFailures() async throws {
        let results = try await Self.run(Self.definition + """

            s3: { in: { items.json: "[1]" }, out: {} }
            cases:
              - name: wrong
                expect:
                  s3:
                    - { bucket: out, key: "elsewhere/*/manifest.json" }
                    - { bucket: out, key: "runs/*/SUCCEEDED_0.jsonl", text: "2\\n" }
            """)
        let failures = try #require(results.first?.failures)
        #expect(failures.count == 2)
        #expect(failures[0].hasPrefix("s3://out/elsewhere/*/manifest.json: no object matches (the bucket holds: runs/"))
        #expect(failures[1].contains("expected the text \"2\n\", got \"1\n\""))
    }

    @Test("a Map that reads S3 in a case without any s3 section fails, saying how to give it data")
    func noData() async throws {
        let results = try await Self.run(Self.definition + "\ncases:\n  - name: none\n    expect: { error: States.ItemReaderFailed }\n")
        #expect(results.first?.passed == true)
    }

    @Test("a case's mock for the Map state answers its ItemReader (text or items): no s3 data needed to read")
    func mockedReader() async throws {
        let results = try await Self.run(Self.definition + """

            s3: { out: {} }
            cases:
              - name: the object's text
                mocks: { M: { return: "[3, 4]" } }
                expect:
                  s3: [{ bucket: out, key: "runs/*/SUCCEEDED_0.jsonl", text: "3\\n4\\n" }]
              - name: the items
                mocks: { M: { return: [5] } }
                expect:
                  s3: [{ bucket: out, key: "runs/*/SUCCEEDED_0.jsonl", text: "5\\n" }]
              - name: a failed read
                mocks: { M: { throw: { error: States.ItemReaderFailed, cause: Access Denied } } }
                expect: { error: States.ItemReaderFailed, cause: Access Denied }
            """)
        #expect(results.count == 3)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
    }

    @Test("a case's mocks answer the Task states of a Distributed Map's children, consecutive answers across the children in turn")
    func mockedChildTasks() async throws {
        let results = try await Self.run("""
            definition:
              StartAt: M
              States:
                M:
                  Type: Map
                  ItemsPath: $.items
                  MaxConcurrency: 1
                  ItemProcessor:
                    ProcessorConfig: { Mode: DISTRIBUTED, ExecutionType: STANDARD }
                    StartAt: Price
                    States:
                      Price:
                        Type: Task
                        Resource: arn:aws:states:::lambda:invoke
                        Parameters: { FunctionName: price, Payload.$: $ }
                        ResultSelector: { price.$: $.Payload }
                        End: true
                  End: true
            cases:
              - name: one answer each, in turn
                input: { items: [a, b, c] }
                mocks:
                  Price:
                    - return: { StatusCode: 200, Payload: 10 }
                    - return: { StatusCode: 200, Payload: 20 }
                    - return: { StatusCode: 200, Payload: 30 }
                expect:
                  output: [{ price: 10 }, { price: 20 }, { price: 30 }]
            """)
        #expect(results.count == 1)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
    }

    @Test("bad s3 sections are refused with their location", arguments: [
        ("s3: { in: { k: 3 } }", "/s3/in/k", "expected the object's text, {file: PATH} or {json: VALUE}, found number"),
        ("s3: { in: { k: { file: missing.csv } } }", "/s3/in/k/file", "cannot read the file 'missing.csv'"),
        ("s3: { in: [] }", "/s3/in", "expected an object, found array"),
    ])
    func refused(section: String, location: String, message: String) {
        #expect {
            _ = try ScenarioLoader.parse(Self.definition + "\n" + section + "\ncases: [{ name: c }]\n", file: Self.root.appendingPathComponent("scenarios/x.yaml").path)
        } throws: { error in
            guard let error = error as? ScenarioError else { return false }
            return error.location == location && error.message.hasPrefix(message)
        }
    }

    @Test("--watch also watches the files an s3: section reads")
    func watchedFiles() {
        let scenario = Self.root.appendingPathComponent("scenarios/order-batches.yaml").path
        #expect(ScenarioDependencies.files(of: scenario) == [
            Self.root.appendingPathComponent("scenarios/data/orders.csv").standardizedFileURL.path,
            Self.root.appendingPathComponent("scenarios/definitions/order-batches.asl.json").standardizedFileURL.path,
        ])
    }

    @Test("key patterns: * matches within one path segment only")
    func keyPatterns() {
        let expectation = S3Expectation(bucket: "b", key: "runs/*/SUCCEEDED_0.json")
        #expect(expectation.matches("runs/6dbfba93-bcff-410b-9b5c-abf41ae9eddb/SUCCEEDED_0.json"))
        #expect(!expectation.matches("runs/a/b/SUCCEEDED_0.json"))
        #expect(!expectation.matches("runs/a/FAILED_0.json"))
    }
}
