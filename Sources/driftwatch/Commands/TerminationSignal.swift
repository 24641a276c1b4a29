import Dispatch
import Synchronization

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
private final class SignalOnce: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Int32, Never>?
        var sources: [RetainedSource] = []
    }

    /// Dispatch sources are thread-safe objects that lack the `Sendable` annotation.
    private struct RetainedSource: @unchecked Sendable {
        let source: any DispatchSourceSignal
    }

    private let state: Mutex<State>

    init(_ continuation: CheckedContinuation<Int32, Never>) {
        state = Mutex(State(continuation: continuation))
    }

    func retain(_ source: any DispatchSourceSignal) {
        let retained = RetainedSource(source: source)
        state.withLock { $0.sources.append(retained) }
    }

    func fire(_ number: Int32) {
        let waiting = state.withLock { state -> CheckedContinuation<Int32, Never>? in
            defer { state.continuation = nil }
            return state.continuation
        }
        waiting?.resume(returning: number)
    }
}
