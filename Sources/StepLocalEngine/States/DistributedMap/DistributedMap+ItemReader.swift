import StepLocalASL
import StepLocalJSON

/// A Distributed Map's ItemReader with its fields evaluated: which object or listing to read
/// and how many items to keep. Evaluated when the state starts (a bad path fails the state
/// before MapStateStarted); read once the Map Run has started, as AWS records MapRunStarted
/// before MapRunFailed for an object it could not read.
struct ResolvedItemReader: Sendable {
    let spec: ItemReaderSpec
    let bucket: String
    /// The object's key (`getObject`) or the listing's prefix (`listObjectsV2`).
    let keyOrPrefix: String
    /// Nil: every item.
    let limit: Int?

    var source: String { "s3://\(bucket)/\(keyOrPrefix)" }
}

extension Interpreter {
    /// Evaluates the reader's `Parameters`/`Arguments` and `MaxItems(Path)`.
    func resolveItemReader(_ spec: ItemReaderSpec, scope: StateScope, effectiveInput: JSONValue, frame: Frame) throws(StatesError) -> ResolvedItemReader {
        let input = scope.isJSONata ? scope.rawInput : effectiveInput
        let parameters = try spec.parameters.map { t throws(StatesError) in try scope.evaluate(t, input: input, frame: frame) } ?? [:]
        let field = scope.isJSONata ? "Arguments" : "Parameters"
        guard case .object(let members) = parameters else {
            throw scope.located(.runtime("The ItemReader's \(field) must be an object, but was: \(parameters.serialized())"))
        }
        let allowed: Set<String> = spec.action == .getObject ? ["Bucket", "Key"] : ["Bucket", "Prefix"]
        for name in members.keys where !allowed.contains(name) {
            throw scope.located(.runtime(
                "StepLocal does not support '\(name)' in the ItemReader's \(field) (it reads \(allowed.sorted().joined(separator: " and ")))"))
        }
        guard let bucket = members["Bucket"]?.stringValue, !bucket.isEmpty else {
            throw scope.located(.runtime("The ItemReader's \(field) must give 'Bucket' as a non-empty string"))
        }
        let keyOrPrefix: String
        if spec.action == .getObject {
            guard let key = members["Key"]?.stringValue, !key.isEmpty else {
                throw scope.located(.runtime("The ItemReader's \(field) must give 'Key' as a non-empty string"))
            }
            keyOrPrefix = key
        } else {
            keyOrPrefix = members["Prefix"]?.stringValue ?? ""
        }
        var limit: Int?
        if let source = spec.maxItems {
            let count = try scope.readerInteger(source, input: input, frame: frame)
            // 0 means no limit; above AWS's 100,000,000 ceiling the ceiling applies (a path giving
            // 100000001 read every item, recorded).
            if count > 0 { limit = min(count, 100_000_000) }
        }
        return ResolvedItemReader(spec: spec, bucket: bucket, keyOrPrefix: keyOrPrefix, limit: limit)
    }

    /// Hands `sink` the items a mock gives this Distributed Map's reader instead of S3 (see
    /// ``TaskDispatcher/mockedItemReader(_:)``); false when no mock answers it: an array is the
    /// items (MaxItems still applies), a string is the object's text, decoded as the reader's
    /// `InputType` says (a `getObject` reader's). A mocked `Throw` fails the read with its error.
    func readMockedItems(_ reader: ResolvedItemReader, state: State, into sink: ItemDecoding.Sink) async throws(StatesError) -> Bool {
        let isGetObject = reader.spec.action == .getObject
        let parameters: JSONObject =
            isGetObject
            ? ["Bucket": .string(reader.bucket), "Key": .string(reader.keyOrPrefix)]
            : ["Bucket": .string(reader.bucket), "Prefix": .string(reader.keyOrPrefix)]
        let identity = execution.identity
        let request = TaskRequest(
            stateName: state.name, resource: "arn:aws:states:::s3:\(isGetObject ? "getObject" : "listObjectsV2")",
            parameters: .object(parameters), taskToken: nil, timeoutSeconds: nil, heartbeatSeconds: nil,
            executionArn: identity.executionArn, rootExecutionArn: rootExecutionArn, stateMachineArn: identity.stateMachineArn, attempt: 0,
            context: .null)
        let answer: JSONValue?
        do {
            answer = try await dispatcher.mockedItemReader(request)
        } catch let error as StatesError {
            throw error
        } catch {
            throw .itemReaderFailed("\(error)")
        }
        switch answer {
        case nil:
            return false
        case .array(let items)?:
            for item in reader.limit.map({ items.prefix($0) }) ?? items[...] { try sink(item) }
            return true
        case .string(let text)? where isGetObject:
            try await readItems(reader, from: InMemoryReaderData(bytes: Array(text.utf8)), into: sink)
            return true
        case let other?:
            throw .itemReaderFailed(
                "The mock for the ItemReader of state '\(state.name)' returned \(other.typeName): it must Return the items as an array"
                    + (isGetObject ? " or the object's text as a string" : ""))
        }
    }

    /// Reads the items from the object store, handing each to `sink` as it is read; returns how
    /// many. Every failure of the store or of decoding is States.ItemReaderFailed.
    @discardableResult
    func readItems(_ reader: ResolvedItemReader, from given: (any ObjectStore)? = nil, into sink: ItemDecoding.Sink) async throws(StatesError) -> Int {
        guard let store = given ?? objectStore else {
            throw .itemReaderFailed(
                "StepLocal has no S3 data to read \(reader.source) from: start the server with --s3-dir DIR (objects at DIR/BUCKET/KEY) "
                    + "or an S3 endpoint (--endpoint s3=URL, AWS_ENDPOINT_URL_S3), or give the scenario case an s3: section")
        }
        let spec = reader.spec
        do {
            switch spec.action {
            case .listObjectsV2:
                return try ItemDecoding.listing(
                    try await store.listObjects(bucket: reader.bucket, prefix: reader.keyOrPrefix), limit: reader.limit, into: sink)
            case .getObject where spec.inputType == .manifest:
                let manifest = try ItemDecoding.inventoryManifest(
                    try await store.getObject(bucket: reader.bucket, key: reader.keyOrPrefix), source: reader.source)
                var count = 0
                for key in manifest.fileKeys {
                    let remaining = reader.limit.map { $0 - count }
                    if let remaining, remaining <= 0 { break }
                    var rows = CSVDecoder.inventoryRows(columns: manifest.columns, limit: remaining, source: "s3://\(manifest.bucket)/\(key)")
                    count += try await ItemDecoding.decode(try await store.openObject(bucket: manifest.bucket, key: key), with: &rows, into: sink)
                }
                return count
            case .getObject:
                var decoder = ItemDecoding.decoder(for: spec, limit: reader.limit, source: reader.source)
                return try await ItemDecoding.decode(try await store.openObject(bucket: reader.bucket, key: reader.keyOrPrefix), with: &decoder, into: sink)
            }
        } catch let error as ObjectStoreError {
            throw .itemReaderFailed(error.causeText)
        } catch let error as StatesError {
            throw error
        } catch {
            throw .itemReaderFailed("\(error)")
        }
    }
}

extension StateScope {
    /// An integer field of ItemReader or ItemBatcher (`MaxItems`, `MaxItemsPerBatch`, ...): a
    /// number, or a string holding one, as AWS accepts from a path (a variable assigned "2" set
    /// MaxItemsPath and MaxItemsPerBatchPath, recorded). Negative values are refused.
    func readerInteger(_ source: NumberSource, input: JSONValue, frame: Frame) throws(StatesError) -> Int {
        let value = try number(source, input: input, frame: frame)
        var parsed = value.numberValue?.intValue
        if parsed == nil, let text = value.stringValue, let fromText = Int(text) { parsed = fromText }
        guard let parsed, parsed >= 0 else {
            let described = source.pathText.isEmpty ? "" : ": \(source.pathText)"
            throw located(.runtime("The \(source.fieldName) field refers to value \"\(value.serializedForMessage)\" which is not a valid non-negative integer\(described)"))
        }
        return parsed
    }
}

/// TestState's `mapItemReaderData`: the one object a mocked reader reads, whatever its bucket and
/// key (a listing lists nothing: the data stands for an object, not a bucket).
struct InMemoryReaderData: ObjectStore {
    let bytes: [UInt8]

    func getObject(bucket: String, key: String) async throws(ObjectStoreError) -> [UInt8] { bytes }

    func listObjects(bucket: String, prefix: String) async throws(ObjectStoreError) -> [StoredObjectSummary] { [] }

    func putObject(bucket: String, key: String, body: [UInt8]) async throws(ObjectStoreError) {
        throw .local("TestState's mapItemReaderData cannot be written to")
    }
}
