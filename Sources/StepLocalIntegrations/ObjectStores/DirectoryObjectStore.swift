import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StepLocalASL
public import StepLocalEngine

/// S3 as a folder (`steplocal serve --s3-dir DIR`): bucket `B`'s object `K` is the file
/// `DIR/B/K`, a listing walks `DIR/B`, and ResultWriter files are written there, so a user drops
/// a CSV in a folder, runs the workflow and opens the results. A bucket is a folder that exists;
/// keys that would leave it (`..`, an absolute path) are refused.
public struct DirectoryObjectStore: ObjectStore {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public func getObject(bucket: String, key: String) async throws(ObjectStoreError) -> [UInt8] {
        let file = try existingFile(bucket: bucket, key: key)
        do {
            return Array(try Data(contentsOf: file))
        } catch {
            throw .local("StepLocal could not read \(file.path): \(error.localizedDescription)")
        }
    }

    /// Reads the file a mebibyte at a time: a large CSV is never whole in memory.
    public func openObject(bucket: String, key: String) async throws(ObjectStoreError) -> any ObjectPieces {
        try FilePieces(path: try existingFile(bucket: bucket, key: key).path)
    }

    /// The object's file, which must exist and not be a folder (else NoSuchKey, as S3 answers).
    private func existingFile(bucket: String, key: String) throws(ObjectStoreError) -> URL {
        let file = try location(bucket: bucket, key: key)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .noSuchKey(bucket: bucket, key: key)
        }
        return file
    }

    public func listObjects(bucket: String, prefix: String) async throws(ObjectStoreError) -> [StoredObjectSummary] {
        let folder = try bucketFolder(bucket)
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey, .contentModificationDateKey, .fileSizeKey])
        else { return [] }
        let base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        var found: [StoredObjectSummary] = []
        for case let file as URL in walker {
            let values = try? file.resourceValues(forKeys: [.isRegularFileKey, .contentModificationDateKey, .fileSizeKey])
            guard values?.isRegularFile == true else { continue }
            let path = file.standardizedFileURL.path
            guard path.hasPrefix(base) else { continue }
            let key = String(path.dropFirst(base.count))
            guard key.hasPrefix(prefix) else { continue }
            let body = (try? Data(contentsOf: file)).map { Array($0) } ?? []
            let modified = values?.contentModificationDate?.timeIntervalSince1970 ?? 0
            found.append(
                StoredObjectSummary(
                    key: key, size: values?.fileSize ?? body.count, lastModified: Timestamp(secondsSince1970: modified),
                    etag: InMemoryObjectStore.etag(of: body)))
        }
        return found.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
    }

    public func putObject(bucket: String, key: String, body: [UInt8]) async throws(ObjectStoreError) {
        let file = try location(bucket: bucket, key: key)
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(body).write(to: file, options: .atomic)
        } catch {
            throw .local("StepLocal could not write \(file.path): \(error.localizedDescription)")
        }
    }

    private func bucketFolder(_ bucket: String) throws(ObjectStoreError) -> URL {
        guard !bucket.isEmpty, !bucket.contains("/"), bucket != ".", bucket != ".." else { throw .noSuchBucket(bucket) }
        let folder = root.appendingPathComponent(bucket, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noSuchBucket(bucket)
        }
        return folder
    }

    private func location(bucket: String, key: String) throws(ObjectStoreError) -> URL {
        let folder = try bucketFolder(bucket)
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." }), !parts.isEmpty, !key.hasSuffix("/") else {
            throw .local("StepLocal refuses the key '\(key)': with --s3-dir a key must stay inside its bucket's folder and name a file")
        }
        return folder.appendingPathComponent(key, isDirectory: false)
    }
}

/// A file read a piece at a time, through its own descriptor (closed at its end, or when dropped).
final class FilePieces: ObjectPieces {
    static let pieceSize = 1 << 20
    private let descriptor: Mutex<Int32>
    private let path: String

    init(path: String) throws(ObjectStoreError) {
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { throw .local("StepLocal could not read \(path): \(String(cString: strerror(errno)))") }
        descriptor = Mutex(opened)
        self.path = path
    }

    func next() async throws(ObjectStoreError) -> [UInt8]? {
        let result: Result<[UInt8]?, ObjectStoreError> = descriptor.withLock { fd in
            guard fd >= 0 else { return .success(nil) }
            var piece = [UInt8](repeating: 0, count: Self.pieceSize)
            var filled = 0
            while filled < piece.count {
                let got = piece.withUnsafeMutableBytes { buffer in
                    read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    return .failure(.local("StepLocal could not read \(path): \(String(cString: strerror(errno)))"))
                }
                if got == 0 { break }
                filled += got
            }
            if filled < piece.count {
                close(fd)
                fd = -1
                if filled == 0 { return .success(nil) }
                piece.removeSubrange(filled...)
            }
            return .success(piece)
        }
        return try result.get()
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
        }
    }
}
