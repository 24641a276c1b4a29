import DriftKafka
import Foundation
import Testing

/// Helpers shared by the Kafka tests: a dev broker per test, unique names, and bounded waiting.
enum KafkaTestSupport {
    /// A fresh in-process dev broker with one topic.
    static func broker(brokers: Int = 1, topic: String, partitions: Int32) throws -> DevBroker {
        try DevBroker(brokers: brokers, topics: [KafkaTopicSpecification(name: topic, partitions: partitions)])
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }

    static func producerConfiguration(_ broker: DevBroker) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "test-producer")
        configuration.properties["log_level"] = "3"
        return configuration
    }

    static func consumerConfiguration(_ broker: DevBroker, group: String) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "test-consumer", groupID: group)
        // librdkafka's mock coordinator ends a rebalance only when its join timer fires: 3 s after a group's
        // first join, session.timeout.ms - 1 s after any later join or leave (however quickly the members
        // rejoin), so a short session timeout keeps each rebalance round to about five seconds.
        configuration.sessionTimeoutMilliseconds = 6_000
        configuration.properties["heartbeat.interval.ms"] = "500"
        configuration.properties["log_level"] = "3"
        return configuration
    }

    /// The payload of message `index`: its index and some filler, about 100 bytes.
    static func payload(_ index: Int) -> [UInt8] {
        Array("{\"i\":\(index),\"pad\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}".utf8)
    }

    static func index(of message: KafkaMessage) -> Int? {
        let text = String(decoding: message.value, as: UTF8.self)
        guard let start = text.range(of: "\"i\":"), let end = text[start.upperBound...].firstIndex(of: ",") else { return nil }
        return Int(text[start.upperBound..<end])
    }

    /// A port that is free now and stays free: below the kernel's ephemeral range (32768-60999 by default),
    /// so no outgoing connection of a test running in parallel can take it between the probe and the bind.
    static func freePort() throws -> UInt16 {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let candidate = UInt16.random(in: 20_000..<32_000, using: &random)
            guard let probe = try? DevBroker(brokers: 1, port: candidate) else { continue }
            probe.shutdown()
            return candidate
        }
        throw FreePortError.noFreePort
    }

    enum FreePortError: Error { case noFreePort }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes.
    static func waitUntil(timeout: Duration = .seconds(20), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}

/// Reads events of a consumer into shared state on a task of its own.
final class ConsumedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _messages: [KafkaMessage] = []
    private var _rebalances: [(KafkaRebalance.Kind, [KafkaTopicPartition])] = []

    func append(_ batch: [KafkaMessage]) { lock.withLock { _messages.append(contentsOf: batch) } }
    func record(_ rebalance: KafkaRebalance) { lock.withLock { _rebalances.append((rebalance.kind, rebalance.partitions)) } }
    var messages: [KafkaMessage] { lock.withLock { _messages } }
    var count: Int { lock.withLock { _messages.count } }
    var rebalances: [(KafkaRebalance.Kind, [KafkaTopicPartition])] { lock.withLock { _rebalances } }
}
