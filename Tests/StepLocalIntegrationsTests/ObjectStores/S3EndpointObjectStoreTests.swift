import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import Testing

/// S3 behind an endpoint, against answers from memory: the path-style requests it signs, how it
/// follows listing pages, and S3's XML errors as the codes ItemReader reports.
@Suite("S3 endpoint object store")
struct S3EndpointObjectStoreTests {
    typealias MemoryTransport = EndpointTaskDispatcherTests.MemoryTransport

    static func store(_ transport: MemoryTransport) throws -> S3EndpointObjectStore {
        S3EndpointObjectStore(
            endpoint: try EndpointConfiguration.Endpoint(url: "http://127.0.0.1:5000", origin: "test"),
            credentials: EndpointConfiguration.placeholderCredentials, region: "eu-west-1", transport: transport,
            now: { Date(timeIntervalSince1970: 1_440_938_160) })
    }

    @Test("GetObject is a path-style GET of /BUCKET/KEY, each key segment encoded once, signed for s3 with the payload hash")
    func getObject() async throws {
        let transport = MemoryTransport { _ in ServiceHTTPResponse(status: 200, body: Array("a,b\n".utf8)) }
        let body = try await Self.store(transport).getObject(bucket: "data", key: "in coming/orders.csv")
        #expect(body == Array("a,b\n".utf8))
        let sent = try #require(transport.sent.withLock { $0.first })
        #expect(sent.method == "GET")
        #expect(sent.url == "http://127.0.0.1:5000/data/in%20coming/orders.csv")
        let authorization = try #require(sent.headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization.contains("/eu-west-1/s3/aws4_request"))
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date"))
        // The SHA-256 of an empty body.
        #expect(sent.headers.contains { $0 == ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") })
    }

    @Test("ListObjectsV2 follows NextContinuationToken until the listing is no longer truncated")
    func listingPages() async throws {
        @Sendable func page(_ keys: [String], next: String?) -> ServiceHTTPResponse {
            let contents = keys.map {
                "<Contents><Key>\($0)</Key><LastModified>2026-12-06T03:40:00.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>"
            }.joined()
            let truncation = next.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" } ?? "<IsTruncated>false</IsTruncated>"
            return ServiceHTTPResponse(status: 200, body: Array("<?xml version=\"1.0\"?><ListBucketResult><Name>data</Name>\(truncation)\(contents)</ListBucketResult>".utf8))
        }
        let transport = MemoryTransport { request in
            request.url.contains("continuation-token=t1") ? page(["in/c"], next: nil) : page(["in/a", "in/b"], next: "t1")
        }
        let listed = try await Self.store(transport).listObjects(bucket: "data", prefix: "in/")
        #expect(listed.map(\.key) == ["in/a", "in/b", "in/c"])
        #expect(listed[0] == StoredObjectSummary(key: "in/a", size: 12, lastModified: Timestamp.parseRFC3339("2026-12-06T03:40:00.000Z")!, etag: "\"abc\""))
        let urls = transport.sent.withLock { $0.map(\.url) }
        #expect(urls == ["http://127.0.0.1:5000/data?list-type=2&prefix=in%2F", "http://127.0.0.1:5000/data?list-type=2&prefix=in%2F&continuation-token=t1"])
    }

    @Test("S3's XML error keeps its code, status and message; PutObject sends the body with its length")
    func errorsAndPut() async throws {
        let missing = MemoryTransport { _ in
            ServiceHTTPResponse(status: 404, body: Array("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>".utf8))
        }
        let missingStore = try Self.store(missing)
        do throws(ObjectStoreError) {
            _ = try await missingStore.getObject(bucket: "data", key: "nothing.csv")
            Issue.record("expected NoSuchKey")
        } catch {
            #expect(error == ObjectStoreError(code: "NoSuchKey", statusCode: 404, message: "The specified key does not exist."))
            #expect(error.causeText == "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey)")
        }
        let written = MemoryTransport { _ in ServiceHTTPResponse(status: 200) }
        try await Self.store(written).putObject(bucket: "results", key: "p/run/manifest.json", body: Array("{}".utf8))
        let sent = try #require(written.sent.withLock { $0.first })
        #expect(sent.method == "PUT" && sent.body == Array("{}".utf8))
        #expect(sent.headers.contains { $0 == ("Content-Length", "2") })
        let unreachable = MemoryTransport { _ in throw URLError(.cannotConnectToHost) }
        let store = try Self.store(unreachable)
        do throws(ObjectStoreError) {
            _ = try await store.listObjects(bucket: "data", prefix: "")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "StepLocal" && error.message.hasPrefix("S3 at http://127.0.0.1:5000 (test) could not be reached"))
        }
    }

    /// An S3 that answers ranged GETs of `object` as S3 does (206 with Content-Range, 416 past an
    /// empty object, 412 when If-Match names another ETag), its ETag changed by `rewrite`.
    final class RangedS3: @unchecked Sendable {
        let lock = NSLock()
        var object: [UInt8]
        var etag = "\"v1\""

        init(_ object: [UInt8]) {
            self.object = object
        }

        func rewrite(_ bytes: [UInt8]) {
            lock.withLock {
                object = bytes
                etag = "\"v2\""
            }
        }

        func answer(_ request: PreparedHTTPRequest) -> ServiceHTTPResponse {
            lock.withLock {
                let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                if let wanted = headers["If-Match"], wanted != etag {
                    return ServiceHTTPResponse(status: 412, body: Array("<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>".utf8))
                }
                guard let range = headers["Range"], range.hasPrefix("bytes=") else {
                    return ServiceHTTPResponse(status: 200, headers: [("ETag", etag)], body: object)
                }
                let bounds = range.dropFirst(6).split(separator: "-").compactMap { Int($0) }
                guard bounds[0] < object.count else {
                    return ServiceHTTPResponse(status: 416, body: Array("<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message></Error>".utf8))
                }
                let end = min(bounds[1], object.count - 1)
                return ServiceHTTPResponse(
                    status: 206, headers: [("ETag", etag), ("Content-Range", "bytes \(bounds[0])-\(end)/\(object.count)")],
                    body: Array(object[bounds[0]...end]))
            }
        }
    }

    static func readAll(_ object: any ObjectPieces) async throws -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        while let piece = try await object.next() { pieces.append(piece) }
        return pieces
    }

    @Test("An ItemReader reads an object in ranged GETs of 8 MiB, each after the first naming the first's ETag")
    func rangedPieces() async throws {
        let bytes = [UInt8](repeating: 1, count: 8 << 20) + [UInt8](repeating: 2, count: 8 << 20) + [3, 4, 5, 6, 7]
        let s3 = RangedS3(bytes)
        let transport = MemoryTransport { s3.answer($0) }
        let pieces = try await Self.readAll(try await Self.store(transport).openObject(bucket: "data", key: "big.csv"))
        #expect(pieces.map(\.count) == [8 << 20, 8 << 20, 5])
        #expect(Array(pieces.joined()) == bytes)
        let sent = transport.sent.withLock { $0 }
        #expect(sent.map { $0.headers.first { $0.name == "Range" }?.value } == [
            "bytes=0-8388607", "bytes=8388608-16777215", "bytes=16777216-25165823",
        ])
        #expect(sent.map { $0.headers.first { $0.name == "If-Match" }?.value } == [nil, "\"v1\"", "\"v1\""])
    }

    @Test("An empty object is no piece; an endpoint that ignores Range gives the whole object as one")
    func emptyAndWhole() async throws {
        let empty = MemoryTransport { RangedS3([]).answer($0) }
        #expect(try await Self.readAll(try await Self.store(empty).openObject(bucket: "data", key: "empty.csv")).isEmpty)
        let ignoring = MemoryTransport { _ in ServiceHTTPResponse(status: 200, body: Array("a,b\n".utf8)) }
        #expect(try await Self.readAll(try await Self.store(ignoring).openObject(bucket: "data", key: "a.csv")) == [Array("a,b\n".utf8)])
    }

    @Test("An object rewritten between two ranges fails the read instead of mixing versions; a missing key fails as S3 says")
    func rewrittenOrMissing() async throws {
        let s3 = RangedS3(Array(repeating: 65, count: (8 << 20) + 10))
        let transport = MemoryTransport { s3.answer($0) }
        let object = try await Self.store(transport).openObject(bucket: "data", key: "big.csv")
        _ = try await object.next()
        s3.rewrite(Array(repeating: 66, count: (8 << 20) + 10))
        await #expect(throws: ObjectStoreError.local(#"The object s3://data/big.csv changed while it was being read (its ETag is no longer "v1")"#)) {
            _ = try await object.next()
        }
        let missing = MemoryTransport { _ in
            ServiceHTTPResponse(status: 404, body: Array("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>".utf8))
        }
        await #expect(throws: ObjectStoreError(code: "NoSuchKey", statusCode: 404, message: "The specified key does not exist.")) {
            _ = try await Self.readAll(try await Self.store(missing).openObject(bucket: "data", key: "nothing.csv"))
        }
    }
}
