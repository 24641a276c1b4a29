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

            public mutating func next() async -> KafkaMessage? {
                while index == current.count {
                    guard let event = await buffer.next() else { return nil }
                    switch event {
                    case .messages(let batch):
                        current = batch
                        index = 0
                    case .rebalance(let rebalance):
                        rebalance.acknowledge()
                    }
                }
                defer { index += 1 }
                return current[index]
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
