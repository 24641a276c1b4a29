import Benchmark
import DriftKafka
import Foundation

/// Reading 1,000,000 records of ~400 bytes from 128 partitions, from the beginning, without a group join.
func registerConsumeBenchmarks() {
    Benchmark("Consume_1M_DriftKafka") { benchmark async throws in
        let fixture = KafkaFixture.shared
        try await fixture.prepareConsumeTopic()
        let assignment = (0..<KafkaFixture.partitions).map {
            KafkaTopicPartitionOffset(topic: KafkaFixture.consumeTopic, partition: $0, offset: KafkaOffset.beginning)
        }
        benchmark.startMeasurement()
        let consumer = try KafkaConsumer(configuration: fixture.consumerConfiguration, assignment: assignment)
        var count = 0
        var bytes = 0
        for await batch in consumer.batches {
            count += batch.count
            for message in batch { bytes &+= message.valueBytes.withUnsafeBytes { $0.count &+ Int($0.first ?? 0) } }
            if count >= KafkaFixture.recordCount { break }
        }
        benchmark.stopMeasurement()
        blackHole(bytes)
        await consumer.close()
        guard count == KafkaFixture.recordCount else { fatalError("consumed \(count)") }
    }

    Benchmark("Consume_1M_kcat") { benchmark async throws in
        let fixture = KafkaFixture.shared
        try await fixture.prepareConsumeTopic()
        benchmark.startMeasurement()
        let status = try runKcat([
            "-C", "-b", fixture.broker.bootstrapServers, "-t", KafkaFixture.consumeTopic,
            "-o", "beginning", "-e", "-q", "-c", "\(KafkaFixture.recordCount)", "-f", "%s\n", "-X", "log_level=3",
        ])
        benchmark.stopMeasurement()
        guard status == 0 else { fatalError("kcat exit \(status)") }
    }
}
