import Synchronization

extension KafkaConsumer {
    /// Message batches and rebalance events, in order.
    public struct Events: AsyncSequence, Sendable {
        public typealias Element = KafkaConsumerEvent
        let buffer: ConsumerBuffer

        public struct AsyncIterator: AsyncIteratorProtocol {
            let buffer: ConsumerBuffer
            public mutating func next() async -> KafkaConsumerEvent? { await buffer.next() }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
    }

    /// Messages one at a time; rebalances are acknowledged as they pass.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = KafkaMessage
        let buffer: ConsumerBuffer

        public struct AsyncIterator: AsyncIteratorProtocol {
            let buffer: ConsumerBuffer
            var current: [KafkaMessage] = []
            var index = 0
            var generation: UInt64 = 0

            public mutating func next() async -> KafkaMessage? {
                dropDiscarded()
                while index == current.count {
                    generation = buffer.discardGeneration.load(ordering: .acquiring)
                    guard let event = await buffer.next() else { return nil }
                    switch event {
                    case .messages(let batch):
                        current = batch
                        index = 0
                    case .rebalance(let rebalance):
                        rebalance.acknowledge()
                    }
                    dropDiscarded()
                }
                defer { index += 1 }
                return current[index]
            }

            /// A seek or revoke since this iterator took its batch discards the batch's messages of those
            /// partitions too, so the next message of a seeked partition is the one at its new offset.
            private mutating func dropDiscarded() {
                guard index < current.count, buffer.discardGeneration.load(ordering: .acquiring) != generation else { return }
                let (partitions, now) = buffer.discardedSince(generation)
                generation = now
                let remaining = current[index...]
                current = partitions.map { dropped in remaining.filter { !dropped.contains($0.topicPartition) } } ?? []
                index = 0
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
    }

    /// Message batches as fetched; rebalances are acknowledged as they pass.
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = [KafkaMessage]
        let buffer: ConsumerBuffer

        public struct AsyncIterator: AsyncIteratorProtocol {
            let buffer: ConsumerBuffer
            public mutating func next() async -> [KafkaMessage]? {
                while let event = await buffer.next() {
                    switch event {
                    case .messages(let batch): return batch
                    case .rebalance(let rebalance): rebalance.acknowledge()
                    }
                }
                return nil
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
    }
}
