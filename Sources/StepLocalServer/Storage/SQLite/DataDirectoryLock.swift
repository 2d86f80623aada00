#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One server per data directory: two processes writing the same file would each resume the
/// other's executions and overwrite each other's records. The first server holds a POSIX record
/// lock on `DIR/steplocal.lock` for its whole life (the kernel drops it when the process ends,
/// `kill -9` included); a second process is refused at start-up. The lock belongs to the process,
/// so one process may open its own directory again (the in-process tests do).
enum DataDirectoryLock {
    struct InUse: Error, CustomStringConvertible {
        let directory: String
        let holder: Int32?
        var description: String {
            "the data directory \(directory) is in use by another StepLocal server"
                + (holder.map { " (process \($0))" } ?? "") + "; stop it, or give this one another --data-dir"
        }
    }

    struct Unlockable: Error, CustomStringConvertible {
        let path: String
        let errorNumber: Int32
        var description: String { "cannot open the lock file \(path): \(String(cString: strerror(errorNumber)))" }
    }

    static let fileName = "steplocal.lock"

    /// Takes the lock, or throws ``InUse`` (another process holds it) or ``Unlockable``. The descriptor stays open until the process ends:
    /// closing any descriptor of the file would release a POSIX lock.
    static func acquire(in directory: String) throws {
        let path = directory + "/" + fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Unlockable(path: path, errorNumber: errno) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        if fcntl(descriptor, F_SETLK, &lock) == 0 { return }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        let holder: Int32? = fcntl(descriptor, F_GETLK, &probe) == 0 && probe.l_type != Int16(F_UNLCK) ? probe.l_pid : nil
        close(descriptor)
        throw InUse(directory: directory, holder: holder)
    }
}
