import StepLocalASL
import Synchronization

/// Where a Distributed Map's S3 data lives: its `ItemReader` reads objects and listings from it,
/// its `ResultWriter` writes result files to it. The engine knows only this boundary; the
/// composition root picks the store (a folder for `steplocal serve --s3-dir`, memory filled from
/// a scenario case's `s3:` section), as it picks the clock and the task dispatcher. Without a
/// store, a reader or writer fails loudly with a message saying how to give it one.
public protocol ObjectStore: Sendable {
    /// The object's bytes (S3 GetObject).
    func getObject(bucket: String, key: String) async throws(ObjectStoreError) -> [UInt8]
    /// The object's bytes a piece at a time, for an ItemReader that turns them into items as they
    /// come (a large object is never whole in memory). By default the whole object is one piece.
    func openObject(bucket: String, key: String) async throws(ObjectStoreError) -> any ObjectPieces
    /// Every object whose key starts with `prefix`, in S3's key order (ListObjectsV2, all pages).
    func listObjects(bucket: String, prefix: String) async throws(ObjectStoreError) -> [StoredObjectSummary]
    /// Writes (or replaces) an object (S3 PutObject).
    func putObject(bucket: String, key: String, body: [UInt8]) async throws(ObjectStoreError)
}

extension ObjectStore {
    public func openObject(bucket: String, key: String) async throws(ObjectStoreError) -> any ObjectPieces {
        WholeObject(try await getObject(bucket: bucket, key: key))
    }
}

/// An object being read, a piece at a time (``ObjectStore/openObject(bucket:key:)``).
public protocol ObjectPieces: AnyObject, Sendable {
    /// The next piece of the object, in order; nil once all of it has been read.
    func next() async throws(ObjectStoreError) -> [UInt8]?
}

/// An object read whole, handed out as one piece.
public final class WholeObject: ObjectPieces {
    private let remaining: Mutex<[UInt8]?>

    public init(_ bytes: [UInt8]) {
        remaining = Mutex(bytes)
    }

    public func next() async throws(ObjectStoreError) -> [UInt8]? {
        remaining.withLock { bytes in
            defer { bytes = nil }
            return bytes
        }
    }
}

/// One object of a listing, with the metadata an `s3:listObjectsV2` ItemReader hands to each child.
public struct StoredObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int
    public var lastModified: Timestamp
    /// The entity tag, quotes included, as S3 lists it (`"\"9b2cf535f27731c974343645a3985328\""`).
    public var etag: String
    public var storageClass: String

    public init(key: String, size: Int, lastModified: Timestamp, etag: String, storageClass: String = "STANDARD") {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
        self.storageClass = storageClass
    }
}

/// Why an object store could not answer, with S3's error code and HTTP status so that the
/// States error's cause reads like the S3 error AWS would pass on.
public struct ObjectStoreError: Error, Sendable, Equatable {
    /// S3's error code (`NoSuchKey`, `NoSuchBucket`, ...), or `StepLocal` for a local problem.
    public let code: String
    public let statusCode: Int
    public let message: String

    public init(code: String, statusCode: Int, message: String) {
        self.code = code
        self.statusCode = statusCode
        self.message = message
    }

    public static func noSuchKey(bucket: String, key: String) -> ObjectStoreError {
        ObjectStoreError(code: "NoSuchKey", statusCode: 404, message: "The specified key does not exist.")
    }

    public static func noSuchBucket(_ bucket: String) -> ObjectStoreError {
        ObjectStoreError(code: "NoSuchBucket", statusCode: 404, message: "The specified bucket does not exist.")
    }

    /// A problem of the local store itself (a file that cannot be read or written), said plainly.
    public static func local(_ message: String) -> ObjectStoreError {
        ObjectStoreError(code: "StepLocal", statusCode: 500, message: message)
    }

    /// The text a States error's cause carries: S3's message and its service details, in the
    /// shape of the AWS SDK exceptions Step Functions passes on (the request id is ours to omit).
    public var causeText: String {
        code == "StepLocal" ? message : "\(message) (Service: S3, Status Code: \(statusCode), Error Code: \(code))"
    }
}
