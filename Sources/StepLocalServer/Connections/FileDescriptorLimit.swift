#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit. Every connection holds a descriptor, and the usual soft limit
/// (often 1,024) is far below the hard one; `steplocal serve` raises the soft limit to the hard
/// one at start, and keeps ``ConnectionLimits/maximumConnections`` well below it.
public enum FileDescriptorLimit {
    /// Raises the soft `RLIMIT_NOFILE` to the hard limit; returns the soft limit in force after.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(resourceKind, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            #if canImport(Darwin)
            raised.rlim_cur = min(limit.rlim_max, rlim_t(OPEN_MAX))  // macOS refuses more than OPEN_MAX
            #endif
            if setrlimit(resourceKind, &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// The default connection cap for a soft limit: at most ``ConnectionLimits/defaultMaximumConnections``,
    /// and at most half the descriptors (the rest are for refusals, files and the runtime).
    public static func defaultMaximumConnections(softLimit: Int) -> Int {
        max(1, min(ConnectionLimits.defaultMaximumConnections, softLimit / 2))
    }

    #if canImport(Glibc)
    private static var resourceKind: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
    #else
    private static var resourceKind: Int32 { RLIMIT_NOFILE }
    #endif
}
