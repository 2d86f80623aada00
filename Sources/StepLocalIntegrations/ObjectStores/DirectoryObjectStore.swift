import Foundation
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
        let file = try location(bucket: bucket, key: key)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .noSuchKey(bucket: bucket, key: key)
        }
        do {
            return Array(try Data(contentsOf: file))
        } catch {
            throw .local("StepLocal could not read \(file.path): \(error.localizedDescription)")
        }
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
