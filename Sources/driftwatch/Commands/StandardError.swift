#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to file descriptor 2 (the C `stderr` global is not concurrency-safe in Swift 6).
enum StandardError {
    static func emit(_ text: String) {
        UnbufferedOutput.write(text, to: STDERR_FILENO)
    }
}

/// Unbuffered writes to file descriptor 1, for lines scripts read while the process keeps running.
enum StandardOutput {
    static func emitLine(_ text: String) {
        UnbufferedOutput.write(text + "\n", to: STDOUT_FILENO)
    }

    static func emit(_ text: String) {
        UnbufferedOutput.write(text, to: STDOUT_FILENO)
    }
}

/// `write(2)` of a whole text, retried after interruptions and short writes.
enum UnbufferedOutput {
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
