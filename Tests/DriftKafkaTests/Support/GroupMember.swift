import DriftKafka
import Foundation
import Synchronization

/// A consumer-group member as a worker would run one: it processes each batch, then commits it (unless told
/// to stop committing), and acknowledges rebalances after committing. Everything it does is recorded.
final class GroupMember: Sendable {
    let name: String
    let consumer: KafkaConsumer
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    struct State {
        var processed: [Int] = []
        var uncommitted: [Int] = []
        var rebalances: [String] = []
        var stopCommitting = false
        var commitErrors: [KafkaError] = []
    }

    init(name: String, consumer: KafkaConsumer) {
        self.name = name
        self.consumer = consumer
    }

    func start() {
        let consumer = consumer
        let handle = Task { [self] in
            for await event in consumer.events {
                switch event {
                case .messages(let batch):
                    let indices = batch.compactMap(KafkaTestSupport.index(of:))
                    let commit = state.withLock { state -> Bool in
                        state.processed.append(contentsOf: indices)
                        if state.stopCommitting { state.uncommitted.append(contentsOf: indices) }
                        return !state.stopCommitting
                    }
                    if commit, let error = await Self.commit(batch, consumer) {
                        state.withLock { $0.commitErrors.append(error) }
                    }
                case .rebalance(let rebalance):
                    state.withLock { $0.rebalances.append(rebalance.description) }
                    rebalance.acknowledge()
                }
            }
        }
        task.withLock { $0 = handle }
    }

    /// Commits after `batch`, retrying retriable failures (a commit during a rebalance gets
    /// REBALANCE_IN_PROGRESS) for up to ten seconds, as a worker would; returns the error that remained.
    static func commit(_ batch: [KafkaMessage], _ consumer: KafkaConsumer) async -> KafkaError? {
        var attempts = 0
        while true {
            do throws(KafkaError) {
                try await consumer.commit(after: batch)
                return nil
            } catch {
                attempts += 1
                guard error.isRetriable, attempts < 40 else { return error }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Stops processing (the consumer stays in the group until `close`).
    func stopProcessing() async {
        let handle = task.withLock { $0 }
        handle?.cancel()
        await handle?.value
    }

    func stopCommitting() { state.withLock { $0.stopCommitting = true } }

    var processed: [Int] { state.withLock { $0.processed } }
    var uncommitted: [Int] { state.withLock { $0.uncommitted } }
    var rebalances: [String] { state.withLock { $0.rebalances } }
    var commitErrors: [KafkaError] { state.withLock { $0.commitErrors } }
}
