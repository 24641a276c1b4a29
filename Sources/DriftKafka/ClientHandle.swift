import CRdKafka
import Foundation
import Synchronization

/// A librdkafka handle that is destroyed only when no call is using it.
///
/// Every call borrows the handle with `acquire` and gives it back with `release`; `retire()` refuses new
/// borrowers and waits for the current ones before handing the handle over for destruction. Without this a
/// call racing `close()` would touch freed memory.
final class ClientHandle: Sendable {
    private let handle: NativeHandle
    private let borrowers = Atomic<Int>(0)
    private let retired = Atomic<Bool>(false)

    init(_ pointer: OpaquePointer) {
        self.handle = NativeHandle(pointer: pointer)
    }

    /// True once `retire()` has begun.
    var isRetired: Bool { retired.load(ordering: .sequentiallyConsistent) }

    /// Borrows the handle for one call; pair with `release()`.
    /// - Throws: `_DESTROY` once the client is closing.
    func acquire(_ operation: String, client: String) throws(KafkaError) -> NativeHandle {
        borrowers.add(1, ordering: .sequentiallyConsistent)
        guard !retired.load(ordering: .sequentiallyConsistent) else {
            borrowers.subtract(1, ordering: .sequentiallyConsistent)
            throw .client("\(client) is closed", operation: operation, code: RD_KAFKA_RESP_ERR__DESTROY)
        }
        return handle
    }

    func release() {
        borrowers.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// Runs `body` with the handle borrowed.
    func withHandle<T>(_ operation: String, client: String, _ body: (OpaquePointer) -> T) throws(KafkaError) -> T {
        let handle = try acquire(operation, client: client)
        defer { release() }
        return body(handle.pointer)
    }

    /// Refuses new borrowers, waits until the current ones are done, and returns the handle for the caller to
    /// destroy; nil when it was already retired. Blocking: call it from a thread of its own.
    func retire() -> NativeHandle? {
        guard !retired.exchange(true, ordering: .sequentiallyConsistent) else { return nil }
        while borrowers.load(ordering: .sequentiallyConsistent) > 0 {
            usleep(1_000)
        }
        return handle
    }
}
