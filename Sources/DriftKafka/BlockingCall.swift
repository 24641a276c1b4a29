import Foundation

/// Runs blocking librdkafka calls (sync commits, metadata and offset queries, flush, close) on a thread of
/// their own, never on Swift's cooperative thread pool, and resumes the awaiting task with the result.
enum BlockingCall {
    static func run<T: Sendable, E: Error>(_ name: String, _ body: @escaping @Sendable () -> Result<T, E>) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = "driftkafka.\(name)"
            thread.start()
        }
        return try result.get()
    }

    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
        let result: Result<T, Never> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: .success(body()))
            }
            thread.name = "driftkafka.\(name)"
            thread.start()
        }
        switch result {
        case .success(let value): return value
        }
    }
}

/// A raw librdkafka handle that may cross threads: librdkafka's client handles are thread-safe.
struct NativeHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// A one-shot flag a thread can wait on with a timeout.
final class CompletionSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false

    func signal() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until signalled or until `seconds` pass; returns whether it was signalled.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !done {
            if !condition.wait(until: deadline) { return done }
        }
        return true
    }

    var isSignalled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return done
    }
}
