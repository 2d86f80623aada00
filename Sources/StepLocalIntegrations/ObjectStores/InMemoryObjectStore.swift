public import StepLocalASL
public import StepLocalEngine
import Crypto
import Synchronization

/// S3 in memory: the buckets and objects a scenario case's `s3:` section declares, which its
/// Distributed Map reads, and the result files its ResultWriter writes, which the case's
/// expectations then read back. A bucket exists when it was declared (even empty), as on S3.
public final class InMemoryObjectStore: ObjectStore {
    private struct Object {
        var body: [UInt8]
        var lastModified: Timestamp
    }

    private let buckets: Mutex<[String: [String: Object]]>
    /// The time objects are stamped with (a scenario's virtual start, or now).
    private let now: @Sendable () -> Timestamp

    /// `objects`: bucket → key → bytes; a bucket with no keys exists, empty.
    public init(objects: [String: [String: [UInt8]]] = [:], now: @escaping @Sendable () -> Timestamp) {
        let stamp = now()
        self.now = now
        buckets = Mutex(objects.mapValues { keys in keys.mapValues { Object(body: $0, lastModified: stamp) } })
    }

    public func getObject(bucket: String, key: String) async throws(ObjectStoreError) -> [UInt8] {
        let found = buckets.withLock { $0[bucket].map { $0[key]?.body } }
        guard let inBucket = found else { throw .noSuchBucket(bucket) }
        guard let body = inBucket else { throw .noSuchKey(bucket: bucket, key: key) }
        return body
    }

    public func listObjects(bucket: String, prefix: String) async throws(ObjectStoreError) -> [StoredObjectSummary] {
        guard let objects = buckets.withLock({ $0[bucket] }) else { throw .noSuchBucket(bucket) }
        return objects.filter { $0.key.hasPrefix(prefix) }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { key, object in
                StoredObjectSummary(key: key, size: object.body.count, lastModified: object.lastModified, etag: Self.etag(of: object.body))
            }
    }

    public func putObject(bucket: String, key: String, body: [UInt8]) async throws(ObjectStoreError) {
        let stamp = now()
        let stored = buckets.withLock { buckets -> Bool in
            guard buckets[bucket] != nil else { return false }
            buckets[bucket]?[key] = Object(body: body, lastModified: stamp)
            return true
        }
        if !stored { throw .noSuchBucket(bucket) }
    }

    /// Every object of a bucket, key → bytes (what a scenario's expectations read back).
    public func objects(in bucket: String) -> [String: [UInt8]] {
        buckets.withLock { ($0[bucket] ?? [:]).mapValues(\.body) }
    }

    /// S3's entity tag of a single-part object: the hex MD5 of its bytes, in quotes.
    static func etag(of body: [UInt8]) -> String {
        "\"" + Insecure.MD5.hash(data: body).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined() + "\""
    }
}
