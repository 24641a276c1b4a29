#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file the readers that take paths (`driftwatch compare`'s inputs) can be pointed at: the input is
/// written to it before each run. It lives in `$FUZZ_SCRATCH` (default `/dev/shm` when present, else `/tmp`),
/// named after the process id, and is removed at exit.
public final class ScratchFile: @unchecked Sendable {
    public let path: String

    public init(name: String) {
        let environment = getenv("FUZZ_SCRATCH").map { String(cString: $0) }
        let directory = environment ?? (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp")
        path = "\(directory)/driftwatch-fuzz-\(getpid())-\(name)"
        ScratchFile.registered.append(path)
        if ScratchFile.registered.count == 1 { atexit { for path in ScratchFile.registered { unlink(path) } } }
    }

    nonisolated(unsafe) private static var registered: [String] = []

    /// Replaces the file's contents with `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(path)") }
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            guard n > 0 else { fatalError("cannot write \(path)") }
            written += n
        }
        close(fd)
    }
}
