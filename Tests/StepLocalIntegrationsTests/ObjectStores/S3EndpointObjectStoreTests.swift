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
}
