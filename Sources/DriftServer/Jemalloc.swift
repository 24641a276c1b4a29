#if canImport(Glibc)
import Glibc
#endif

/// jemalloc's control interface (`mallctl`), found at run time: present when the process runs on jemalloc
/// (the `driftwatch` binary links it on Linux), absent otherwise — nothing here links it.
public enum Jemalloc {
    private typealias Mallctl = @convention(c) (
        UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?, Int
    ) -> Int32

    private static let mallctl: Mallctl? = {
        #if canImport(Glibc)
        dlsym(nil, "mallctl").map { unsafeBitCast($0, to: Mallctl.self) }
        #else
        nil
        #endif
    }()

    /// Whether the process runs on jemalloc.
    public static var isActive: Bool { mallctl != nil }

    /// Reads a `size_t` or `ssize_t` setting or statistic; nil when it does not exist (or jemalloc is absent).
    public static func read(_ name: String) -> Int? {
        guard let mallctl else { return nil }
        var value = 0
        var size = MemoryLayout<Int>.size
        return mallctl(name, &value, &size, nil, 0) == 0 ? value : nil
    }

    /// Writes a setting; false when it was refused (or jemalloc is absent).
    @discardableResult
    public static func write<Value>(_ name: String, _ value: Value) -> Bool {
        guard let mallctl else { return false }
        var copy = value
        return mallctl(name, nil, nil, &copy, MemoryLayout<Value>.size) == 0
    }
}
