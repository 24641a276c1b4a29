import DriftServer

#if canImport(Glibc)
import Glibc
#endif

/// Memory-allocator settings for the long-running services.
///
/// On Linux `driftwatch` is linked with jemalloc (Package.swift). Under glibc's malloc the monitor's resident
/// memory grew for as long as traffic flowed while the bytes it actually held stayed flat: at 20,000
/// events/s glibc held 1.25 GB for 0.48 GB in use after ten minutes, and kept taking more (docs/soak.md).
/// jemalloc returns freed pages to the system after a delay (`dirty_decay_ms`, set to 1 s here instead of its
/// default 10 s); its background threads do that purging even when the service is idle. Both are set unless
/// `MALLOC_CONF` is (it then decides).
///
/// Should the binary run on glibc's malloc (jemalloc not linked), the mmap threshold is fixed at 1 MiB (glibc
/// otherwise raises it after large frees, and multi-megabyte checkpoint and partial buffers then fragment the
/// arenas) and the arenas capped at four; `MALLOC_*` environment variables still take precedence.
enum MallocTuning {
    /// Which allocator the process runs on.
    enum Allocator: String {
        case jemalloc, glibc, other
    }

    /// jemalloc's delay before freed pages are returned to the system (its default is 10 s).
    static let dirtyDecayMilliseconds = 1_000

    @discardableResult
    static func applyForService() -> Allocator {
        #if canImport(Glibc)
        if Jemalloc.isActive {
            if getenv("MALLOC_CONF") == nil {
                Jemalloc.write("background_thread", true)
                // Freed pages go back after about a second instead of ten: a checkpoint round frees ~100 MB at
                // once, and with the default the resident set swung by 300-400 MB around flat allocations.
                Jemalloc.write("arenas.dirty_decay_ms", Self.dirtyDecayMilliseconds)  // arenas made later
                Jemalloc.write("arena.4096.dirty_decay_ms", Self.dirtyDecayMilliseconds)  // MALLCTL_ARENAS_ALL: the existing ones
            }
            return .jemalloc
        }
        // <malloc.h> is not part of the Glibc module: mallopt is looked up, with its parameters' values.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return .other }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(mmapThreshold, 1 << 20) }
        if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(arenaMax, 4) }
        return .glibc
        #else
        return .other
        #endif
    }
}
