import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import Testing

/// `--s3-dir`: an object is a file, read a mebibyte at a time when an ItemReader opens it, so a
/// large CSV is never whole in memory; the pieces put together are the file.
@Suite("Folder object store")
struct DirectoryObjectStoreTests {
    static func folder(_ files: [String: [UInt8]]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-s3-\(UUID().uuidString)")
        for (path, bytes) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }
        return root
    }

    @Test("an object opened for reading comes in pieces of at most a mebibyte that make up the file")
    func piecesMakeTheFile() async throws {
        let bytes = (0..<(2_621_440 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let root = try Self.folder(["data/big.bin": bytes, "data/empty.csv": []])
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DirectoryObjectStore(root: root)

        let object = try await store.openObject(bucket: "data", key: "big.bin")
        var sizes: [Int] = []
        var joined: [UInt8] = []
        while let piece = try await object.next() {
            sizes.append(piece.count)
            joined += piece
        }
        #expect(sizes == [1_048_576, 1_048_576, 524_305])
        #expect(joined == bytes)
        #expect(try await object.next() == nil)

        let empty = try await store.openObject(bucket: "data", key: "empty.csv")
        #expect(try await empty.next() == nil)
    }

    @Test("opening a missing key or bucket fails as S3 does")
    func missing() async throws {
        let root = try Self.folder(["data/a.csv": Array("x\n".utf8)])
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DirectoryObjectStore(root: root)
        await #expect(throws: ObjectStoreError.noSuchKey(bucket: "data", key: "b.csv")) {
            _ = try await store.openObject(bucket: "data", key: "b.csv")
        }
        await #expect(throws: ObjectStoreError.noSuchBucket("other")) {
            _ = try await store.openObject(bucket: "other", key: "a.csv")
        }
    }
}
