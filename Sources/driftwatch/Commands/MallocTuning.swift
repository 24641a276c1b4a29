#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for the long-running services.
///
/// glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after which blocks of a
/// few MiB — a checkpoint record, a batch of partials — come from the heap arenas instead of their own
/// mappings. Freed there, they fragment the arenas and are rarely given back: a soak at 20,000 events/s saw
/// the monitor hold 2.4 GB of free arena memory after two minutes. A fixed threshold keeps blocks of 1 MiB
/// and more in their own mappings (returned to the system when freed) and caps the arenas at four.
/// `MALLOC_*` environment variables still take precedence.
enum MallocTuning {
    static func applyForService() {
        #if canImport(Glibc)
        // <malloc.h> is not part of the Glibc module: mallopt is looked up, with its parameters' values.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(mmapThreshold, 1 << 20) }
        if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(arenaMax, 4) }
        #endif
    }
}
