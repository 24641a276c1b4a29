import DriftJSON
import DriftKafka
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTP reads of a worker's JSON API, for polling tests.
enum HTTPProbe {
    /// The JSON document at `url`, or nil while the server does not answer.
    static func json(_ url: String) async -> JSONValue? {
        guard let address = URL(string: url), let (data, _) = try? await URLSession.shared.data(from: address) else { return nil }
        return try? JSONValue.parse([UInt8](data))
    }

    /// The text at `url`, or nil while the server does not answer.
    static func text(_ url: String) async -> String? {
        guard let address = URL(string: url), let (data, _) = try? await URLSession.shared.data(from: address) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

extension KafkaTestSupport {
    /// Every value of `topic` from the beginning, once `expected` arrived (or the time is up), in order per
    /// partition (one-partition topics: in order).
    static func readAll(bootstrap: String, topic: String, expected: Int, timeout: Duration) async throws -> [[UInt8]] {
        var configuration = KafkaConfiguration(bootstrapServers: bootstrap)
        configuration.groupID = uniqueName("reader")
        configuration.autoOffsetReset = .earliest
        configuration.properties["log_level"] = "3"
        let consumer = try KafkaConsumer(configuration: configuration, topics: [topic])
        var values: [[UInt8]] = []
        let deadline = ContinuousClock.now + timeout
        let reading = Task { () -> [[UInt8]] in
            var collected: [[UInt8]] = []
            for await event in consumer.events {
                switch event {
                case .rebalance(let rebalance): rebalance.acknowledge()
                case .messages(let messages):
                    collected += messages.map(\.value)
                    if collected.count >= expected { return collected }
                }
            }
            return collected
        }
        let timer = Task {
            try? await Task.sleep(until: deadline)
            await consumer.close()
        }
        values = await reading.value
        timer.cancel()
        await consumer.close()
        return values
    }
}
