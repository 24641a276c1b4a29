import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGUSR1 as a fault-injection trigger: each signal runs `outage` (numbered from 1), one at a time.
enum OutageSignal {
    /// Installs the handler; cancel the returned task to stop listening.
    static func install(_ outage: @escaping @Sendable (Int) async -> Void) -> Task<Void, Never> {
        let (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(4))
        signal(SIGUSR1, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        let retained = RetainedSignalSource(source: source)
        return Task {
            var number = 0
            for await _ in signals {
                number += 1
                await outage(number)
            }
            retained.source.cancel()
        }
    }
}

/// Dispatch sources are thread-safe objects that lack the `Sendable` annotation.
private struct RetainedSignalSource: @unchecked Sendable {
    let source: any DispatchSourceSignal
}
