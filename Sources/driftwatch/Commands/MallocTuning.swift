#if canImport(Glibc)
import Glibc
#endif

/// Memory-allocator settings for the long-running services.
///
/// On Linux `driftwatch` is linked with jemalloc (Package.swift). Under glibc's malloc the monitor's resident
/// memory grew for as long as traffic flowed while the bytes it actually held stayed flat: at 20,000
/// events/s glibc held 1.25 GB for 0.48 GB in use after ten minutes, and kept taking more (docs/soak.md).
/// jemalloc returns freed pages to the system after a delay (`dirty_decay_ms`, 10 s by default); its
/// background threads do that purging even when the service is idle, so they are switched on unless
/// `MALLOC_CONF` says otherwise.
///
/// Should the binary run on glibc's malloc (jemalloc not linked), the mmap threshold is fixed at 1 MiB (glibc
/// otherwise raises it after large frees, and multi-megabyte checkpoint and partial buffers then fragment the
/// arenas) and the arenas capped at four; `MALLOC_*` environment variables still take precedence.
enum MallocTuning {
    /// Which allocator the process runs on.
    enum Allocator: String {
        case jemalloc, glibc, other
    }

    @discardableResult
    static func applyForService() -> Allocator {
        #if canImport(Glibc)
        if let symbol = dlsym(nil, "mallctl") {
            typealias Mallctl = @convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?, Int) -> Int32
            let mallctl = unsafeBitCast(symbol, to: Mallctl.self)
            if getenv("MALLOC_CONF") == nil {
                var enable = true
                _ = mallctl("background_thread", nil, nil, &enable, MemoryLayout<Bool>.size)
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
