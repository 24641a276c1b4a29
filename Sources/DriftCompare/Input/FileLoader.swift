#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one input file, decompressed when the file was gzip.
struct LoadedFile: Sendable {
    var path: String
    var bytes: [UInt8]
    /// Whether the file started with the gzip magic bytes `1f 8b`.
    var wasGzip: Bool
    /// Size of the file on disk.
    var fileSize: Int
}

/// Reads input files whole (POSIX `read`) and inflates gzip streams.
enum FileLoader {
    /// Inputs must stay below 4 GiB after decompression: cells store 32-bit offsets.
    static let maximumSize = Int(UInt32.max)

    /// Size of the file on disk, or `nil` when it cannot be `stat`ed (the load reports why).
    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// Reads `path`, inflating it if it is gzip (detected by its magic bytes, not its name).
    /// Throws ``CompareError/fileNotFound(path:)``, ``CompareError/unreadable(path:reason:)``,
    /// ``CompareError/emptyFile(path:)`` (no bytes, or only whitespace after decompression),
    /// ``CompareError/corruptGzip(path:reason:)`` or ``CompareError/fileTooLarge(path:bytes:)``.
    /// Cost: one read of the file, plus zlib's inflate for gzip.
    static func load(path: String, progress: (any ProgressObserver)?) throws(CompareError) -> LoadedFile {
        let raw = try readAll(path: path, progress: progress)
        let size = raw.count
        var bytes = raw
        let gzip = GzipInflater.hasMagic(raw)
        if gzip {
            bytes = try GzipInflater.inflate(raw, path: path)
        }
        guard bytes.count < maximumSize else { throw .fileTooLarge(path: path, bytes: bytes.count) }
        guard bytes.contains(where: { !isWhitespace($0) }) else { throw .emptyFile(path: path) }
        return LoadedFile(path: path, bytes: bytes, wasGzip: gzip, fileSize: size)
    }

    @inline(__always) private static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    private static func readAll(path: String, progress: (any ProgressObserver)?) throws(CompareError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path: path, reason: "it is a directory") }
        // Read straight into the result, sized from fstat; grow if the file grew meanwhile.
        var result = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        var failure: Int32 = 0
        while true {
            if count == result.count { result.append(contentsOf: repeatElement(0, count: max(count, 1 << 16))) }
            let room = min(result.count - count, 16 << 20)
            let got = result.withUnsafeMutableBytes { read(fd, $0.baseAddress.map { $0 + count }, room) }
            if got < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            if got == 0 { break }
            count += got
            progress?.advance(by: got)
        }
        result.removeLast(result.count - count)
        if failure != 0 { throw .unreadable(path: path, reason: String(cString: strerror(failure))) }
        if result.isEmpty { throw .emptyFile(path: path) }
        return result
    }
}
