import Foundation
import Synchronization
import StepLocalASL
public import StepLocalEngine

/// S3 behind a real endpoint (moto, LocalStack, MinIO, or AWS with `--aws-passthrough`): a
/// Distributed Map's ItemReader reads objects and listings from it and its ResultWriter writes
/// there, as on AWS. It exists so that the data a workflow processes can live where the rest of a
/// team's local stack already keeps it, configured like every other real service
/// (`--endpoint s3=URL`, `AWS_ENDPOINT_URL_S3`). Requests use path-style addressing
/// (`/BUCKET/KEY`, what local emulators serve), are signed with SigV4 for `s3` (the path signed
/// as sent, S3's rule) with the payload's SHA-256 in `x-amz-content-sha256`, and S3's XML errors
/// become ``ObjectStoreError``s with S3's code and status, which ItemReader reports as
/// `States.ItemReaderFailed` and ResultWriter as `States.ResultWriterFailed`.
public struct S3EndpointObjectStore: ObjectStore {
    public let endpoint: EndpointConfiguration.Endpoint
    public let credentials: SigV4Signer.Credentials
    /// The region requests are signed for (the server's).
    public let region: String
    public let transport: any EndpointTransport
    /// How long one request may take.
    public var timeout: Duration = .seconds(300)
    /// The signing time; injected so tests sign deterministically.
    public let now: @Sendable () -> Date

    /// - Parameter transport: by default async-http-client allowing 1 GiB answers (S3 objects
    ///   are larger than service answers).
    public init(
        endpoint: EndpointConfiguration.Endpoint, credentials: SigV4Signer.Credentials, region: String,
        transport: (any EndpointTransport)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.region = region
        var large = AsyncHTTPClientTransport()
        large.maximumBodySize = 1 << 30
        self.transport = transport ?? large
        self.now = now
    }

    public func getObject(bucket: String, key: String) async throws(ObjectStoreError) -> [UInt8] {
        let response = try await send("GET", bucket: bucket, key: key)
        guard (200..<300).contains(response.status) else { throw Self.error(response, bucket: bucket, key: key) }
        return response.body
    }

    /// Reads the object in ranged GETs (``RangedObject``), so a large object is never whole in memory.
    public func openObject(bucket: String, key: String) async throws(ObjectStoreError) -> any ObjectPieces {
        RangedObject(store: self, bucket: bucket, key: key)
    }

    public func listObjects(bucket: String, prefix: String) async throws(ObjectStoreError) -> [StoredObjectSummary] {
        var found: [StoredObjectSummary] = []
        var continuation: String?
        repeat {
            var query = [("list-type", "2")]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let continuation { query.append(("continuation-token", continuation)) }
            let response = try await send("GET", bucket: bucket, key: nil, query: query)
            guard (200..<300).contains(response.status) else { throw Self.error(response, bucket: bucket, key: nil) }
            let page = S3ListingPage.read(response.body)
            found += page.objects
            continuation = page.isTruncated ? page.nextContinuationToken : nil
        } while continuation != nil
        return found
    }

    public func putObject(bucket: String, key: String, body: [UInt8]) async throws(ObjectStoreError) {
        let response = try await send("PUT", bucket: bucket, key: key, body: body)
        guard (200..<300).contains(response.status) else { throw Self.error(response, bucket: bucket, key: key) }
    }

    /// The signed request for one S3 operation, path-style.
    public func prepare(_ method: String, bucket: String, key: String?, query: [(String, String)] = [], body: [UInt8] = []) -> PreparedHTTPRequest {
        var path = endpoint.basePath + "/" + SigV4Signer.uriEncode(bucket)
        if let key { path += "/" + key.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.uriEncode(String($0)) }.joined(separator: "/") }
        var headers: [(name: String, value: String)] = [("Host", endpoint.hostHeader), ("x-amz-content-sha256", SigV4Signer.hexSHA256(body))]
        if method == "PUT" { headers.append(("Content-Length", String(body.count))) }
        let signer = SigV4Signer(credentials: credentials, region: region, service: "s3")
        let signed = signer.sign(method: method, path: path, query: query, headers: headers, body: body, date: now(), encodesPathAgain: false)
        let request = ServiceHTTPRequest(method: method, path: path, query: query, headers: [], body: body)
        return PreparedHTTPRequest(
            url: "\(endpoint.scheme)://\(endpoint.hostHeader)\(request.target(basePath: ""))", method: method, headers: signed.headers, body: body)
    }

    /// Sends one request; `extraHeaders` go unsigned (`Range`, `If-Match`, which S3 does not require signed).
    func send(
        _ method: String, bucket: String, key: String?, query: [(String, String)] = [], body: [UInt8] = [],
        extraHeaders: [(name: String, value: String)] = []
    ) async throws(ObjectStoreError) -> ServiceHTTPResponse {
        var request = prepare(method, bucket: bucket, key: key, query: query, body: body)
        request.headers += extraHeaders
        do {
            return try await transport.send(request, timeout: timeout)
        } catch EndpointTransportError.timedOut {
            throw .local("S3 at \(endpoint.url) did not answer \(method) \(bucket)/\(key ?? "") within \(timeout)")
        } catch {
            throw .local("S3 at \(endpoint.url) (\(endpoint.origin)) could not be reached: \(error)")
        }
    }

    /// S3's XML error (`<Error><Code>NoSuchKey</Code><Message>...`) as an ObjectStoreError; a HEAD-like
    /// answer without a body gets the code its status implies.
    static func error(_ response: ServiceHTTPResponse, bucket: String, key: String?) -> ObjectStoreError {
        let fields = XMLFields.read(response.body)
        if let code = fields["Code"] {
            return ObjectStoreError(code: code, statusCode: response.status, message: fields["Message"] ?? code)
        }
        switch response.status {
        case 404 where key != nil: return .noSuchKey(bucket: bucket, key: key ?? "")
        case 404: return .noSuchBucket(bucket)
        default: return ObjectStoreError(code: "HTTP\(response.status)", statusCode: response.status, message: response.bodyText)
        }
    }
}

/// One page of a ListObjectsV2 answer: each `<Contents>` entry, and whether more pages follow.
struct S3ListingPage {
    var objects: [StoredObjectSummary] = []
    var isTruncated = false
    var nextContinuationToken: String?

    static func read(_ body: [UInt8]) -> S3ListingPage {
        var page = S3ListingPage()
        var entry: [String: String]?
        var text = ""
        for event in XMLScanner.events(body) {
            switch event {
            case .start(let name):
                if name == "Contents" { entry = [:] }
                text = ""
            case .text(let more):
                text += more
            case .end(let name):
                if name == "Contents", let fields = entry {
                    let modified = fields["LastModified"].flatMap(Timestamp.parseRFC3339) ?? Timestamp(millisecondsSince1970: 0)
                    page.objects.append(
                        StoredObjectSummary(
                            key: fields["Key"] ?? "", size: Int(fields["Size"] ?? "") ?? 0, lastModified: modified,
                            etag: fields["ETag"] ?? "", storageClass: fields["StorageClass"] ?? "STANDARD"))
                    entry = nil
                } else if entry != nil {
                    entry?[name] = text
                } else if name == "IsTruncated" {
                    page.isTruncated = text.trimmingWhitespace == "true"
                } else if name == "NextContinuationToken" {
                    page.nextContinuationToken = text
                }
                text = ""
            }
        }
        return page
    }
}

/// An object read from an S3 endpoint in ranged GETs of ``pieceSize`` bytes (`Range: bytes=A-B`,
/// answered 206 with `Content-Range: bytes A-B/SIZE`). Every range after the first carries the
/// first answer's ETag in `If-Match`, so an object rewritten meanwhile fails the read instead of
/// mixing two versions. An endpoint that ignores `Range` answers 200 with the whole object: that
/// is the one piece. An empty object answers 416 (InvalidRange) to the first range: no piece.
final class RangedObject: ObjectPieces {
    static let pieceSize = 8 << 20
    private let store: S3EndpointObjectStore
    private let bucket: String
    private let key: String
    private struct Progress {
        var offset = 0
        var size: Int?
        var etag: String?
        var ended = false
    }
    private let progress = Mutex(Progress())

    init(store: S3EndpointObjectStore, bucket: String, key: String) {
        self.store = store
        self.bucket = bucket
        self.key = key
    }

    func next() async throws(ObjectStoreError) -> [UInt8]? {
        let sofar = progress.withLock { $0 }
        if sofar.ended { return nil }
        if let size = sofar.size, sofar.offset >= size {
            progress.withLock { $0.ended = true }
            return nil
        }
        var headers = [(name: "Range", value: "bytes=\(sofar.offset)-\(sofar.offset + Self.pieceSize - 1)")]
        if let etag = sofar.etag { headers.append((name: "If-Match", value: etag)) }
        let response = try await store.send("GET", bucket: bucket, key: key, extraHeaders: headers)
        switch response.status {
        case 206:
            guard let range = response.header("Content-Range"), let slash = range.lastIndex(of: "/"),
                let size = Int(range[range.index(after: slash)...])
            else {
                throw .local("S3 at \(store.endpoint.url) answered a range of s3://\(bucket)/\(key) without its Content-Range")
            }
            progress.withLock {
                $0.offset += response.body.count
                $0.size = size
                if $0.etag == nil { $0.etag = response.header("ETag") }
                if response.body.isEmpty || $0.offset >= size { $0.ended = true }
            }
            return response.body
        case 200 where sofar.offset == 0:
            progress.withLock { $0.ended = true }
            return response.body
        case 416 where sofar.offset == 0:
            progress.withLock { $0.ended = true }
            return nil
        case 412:
            throw .local("The object s3://\(bucket)/\(key) changed while it was being read (its ETag is no longer \(sofar.etag ?? "the first one's"))")
        default:
            throw S3EndpointObjectStore.error(response, bucket: bucket, key: key)
        }
    }
}
