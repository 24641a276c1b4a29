import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGINT or SIGTERM (their default action is turned off so the process can shut down in order).
enum TerminationSignal {
    /// Returns the signal that arrived.
    static func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let once = SignalOnce(continuation)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { once.fire(number) }
                source.resume()
                once.retain(source)
            }
        }
    }
}

/// Resumes the waiting task once, whichever signal comes first, and keeps the signal sources alive.
private final class SignalOnce: @unchecked Sendable {
    private let lock = NSLockLike()
    private var continuation: CheckedContinuation<Int32, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Int32, Never>) {
        self.continuation = continuation
    }

    func retain(_ source: any DispatchSourceSignal) {
        lock.locked { sources.append(source) }
    }

    func fire(_ number: Int32) {
        let waiting = lock.locked { () -> CheckedContinuation<Int32, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: number)
    }
}

/// A pthread mutex, so this file needs neither Foundation nor Synchronization.
private final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
