/// Memory holding the payloads and keys of one fetched batch, shared by its messages and freed with the last.
final class ByteStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }
}

/// The bytes of a consumed record's key or value, without a copy per record.
///
/// A consumer copies each fetched batch once into one allocation that the batch's messages share (one
/// allocation per batch instead of one per record). Read in place with `withUnsafeBytes`, iterate as a
/// collection, or make an `[UInt8]` with `Array(bytes)` when an owned copy is needed. Immutable; keeps the
/// batch's memory alive while it exists.
public struct KafkaBytes: RandomAccessCollection, Hashable, Sendable, CustomStringConvertible {
    let storage: ByteStorage?
    let offset: Int
    public let count: Int

    init(storage: ByteStorage?, offset: Int, count: Int) {
        self.storage = storage
        self.offset = offset
        self.count = count
    }

    /// Bytes copied from an array (for building messages by hand, e.g. in tests).
    public init(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else {
            self.init(storage: nil, offset: 0, count: 0)
            return
        }
        let storage = ByteStorage(capacity: bytes.count)
        bytes.withUnsafeBytes { storage.base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        self.init(storage: storage, offset: 0, count: bytes.count)
    }

    /// No bytes.
    public static let empty = KafkaBytes([])

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "KafkaBytes index out of range")
        return storage.unsafelyUnwrapped.base.load(fromByteOffset: offset + position, as: UInt8.self)
    }

    /// Calls `body` with the bytes in place (valid only during the call).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let storage else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: storage.base + offset, count: count))
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try withUnsafeBytes { try body($0.bindMemory(to: UInt8.self)) }
    }

    /// The bytes decoded as UTF-8 (invalid sequences replaced).
    public var string: String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    public static func == (lhs: KafkaBytes, rhs: KafkaBytes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public var description: String { "\(count) bytes" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
