import Synchronization

/// The bounded hand-off between a consumer's poll thread and the Swift task reading its events.
///
/// Invariants: 1. `messageCount` and `byteCount` equal the messages and their bytes in `items`. 2. At most one
/// reader waits.
/// 3. After `finish()`, readers get the remaining items, then nil.
final class ConsumerBuffer: Sendable {
    /// A waiting event, with its messages' key and value bytes (counted once, by the poll thread).
    private struct Entry {
        var event: KafkaConsumerEvent
        var bytes: Int
    }

    private struct State {
        /// Events from `head` on are waiting; slots before it were taken and are emptied at once: a taken
        /// batch left in place would keep its fetch's memory alive until the array is compacted.
        var items: [Entry?] = []
        var head = 0
        var messageCount = 0
        /// Key and value bytes of the buffered messages.
        var byteCount = 0
        var waiter: CheckedContinuation<KafkaConsumerEvent?, Never>?
        var finished = false
        /// Partitions whose undelivered messages were discarded, by discard generation (see `discardedSince`).
        var discards: [(generation: UInt64, partitions: Set<KafkaTopicPartition>)] = []

        mutating func popFirst() -> KafkaConsumerEvent? {
            guard head < items.count, let entry = items[head] else { return nil }
            items[head] = nil
            head += 1
            if head > 1_024 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            if case .messages(let batch) = entry.event { messageCount -= batch.count }
            byteCount -= entry.bytes
            return entry.event
        }
    }

    private let state = Mutex(State())
    /// Bumped by every `discard`; readers holding a batch compare it to drop messages discarded meanwhile.
    let discardGeneration = Atomic<UInt64>(0)

    /// Called (outside the lock) when a reader takes messages, so a paused poll thread can resume early.
    let onDrain: @Sendable (_ remainingMessages: Int) -> Void

    init(onDrain: @escaping @Sendable (Int) -> Void) {
        self.onDrain = onDrain
    }

    var messageCount: Int { state.withLock { $0.messageCount } }
    /// Key and value bytes buffered.
    var byteCount: Int { state.withLock { $0.byteCount } }

    private static func bytes(of batch: [KafkaMessage]) -> Int {
        batch.reduce(0) { $0 + $1.valueBytes.count + ($1.keyBytes?.count ?? 0) }
    }

    /// Hands `item` to the reader; `bytes` are its messages' key and value bytes (for the byte bound).
    func push(_ item: KafkaConsumerEvent, bytes: Int = 0) {
        let waiter: CheckedContinuation<KafkaConsumerEvent?, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.items.append(Entry(event: item, bytes: bytes))
            if case .messages(let batch) = item { state.messageCount += batch.count }
            state.byteCount += bytes
            return nil
        }
        waiter?.resume(returning: item)
    }

    /// Removes undelivered messages of `partitions`; returns how many were removed.
    func discard(_ partitions: Set<KafkaTopicPartition>) -> Int {
        guard !partitions.isEmpty else { return 0 }
        return state.withLock { state in
            var removed = 0
            var kept: [Entry?] = []
            kept.reserveCapacity(state.items.count - state.head)
            for case let entry? in state.items[state.head...] {
                guard case .messages(let batch) = entry.event else {
                    kept.append(entry)
                    continue
                }
                let remaining = batch.filter { !partitions.contains($0.topicPartition) }
                removed += batch.count - remaining.count
                let remainingBytes = ConsumerBuffer.bytes(of: remaining)
                state.byteCount -= entry.bytes - remainingBytes
                if !remaining.isEmpty { kept.append(Entry(event: .messages(remaining), bytes: remainingBytes)) }
            }
            state.items = kept
            state.head = 0
            state.messageCount -= removed
            let generation = discardGeneration.add(1, ordering: .releasing).newValue
            state.discards.append((generation, partitions))
            if state.discards.count > 64 { state.discards.removeFirst(state.discards.count - 64) }
            return removed
        }
    }

    /// The partitions discarded after `generation` (all partitions if the log no longer reaches back).
    func discardedSince(_ generation: UInt64) -> (partitions: Set<KafkaTopicPartition>?, current: UInt64) {
        state.withLock { state in
            let current = discardGeneration.load(ordering: .acquiring)
            guard let oldest = state.discards.first?.generation, oldest <= generation + 1 else { return (nil, current) }
            var union = Set<KafkaTopicPartition>()
            for entry in state.discards where entry.generation > generation { union.formUnion(entry.partitions) }
            return (union, current)
        }
    }

    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<KafkaConsumerEvent?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next event, waiting for one; nil once finished and drained, or when the task is cancelled.
    func next() async -> KafkaConsumerEvent? {
        if let (item, remaining) = takeReady() {
            if case .messages = item { onDrain(remaining) }
            return item
        }
        let item: KafkaConsumerEvent? = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: KafkaConsumerEvent?? = state.withLock { state in
                    if let item = state.popFirst() { return .some(item) }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<KafkaConsumerEvent?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
        if case .messages = item { onDrain(messageCount) }
        return item
    }

    private func takeReady() -> (KafkaConsumerEvent, Int)? {
        state.withLock { state in
            state.popFirst().map { ($0, state.messageCount) }
        }
    }
}
