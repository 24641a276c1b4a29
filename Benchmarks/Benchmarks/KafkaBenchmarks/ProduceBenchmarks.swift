import Benchmark
import DriftKafka
import Foundation

/// Producing 1,000,000 records of ~400 bytes to 128 partitions, until every one is acknowledged.
func registerProduceBenchmarks() {
    Benchmark("Produce_1M_DriftKafka") { benchmark async throws in
        let fixture = KafkaFixture.shared
        let topic = fixture.freshTopic("produce-swift")
        let producer = try KafkaProducer(configuration: fixture.producerConfiguration)
        let payloads = fixture.payloads
        benchmark.startMeasurement()
        for index in 0..<KafkaFixture.recordCount {
            try await producer.enqueue(KafkaProducerMessage(topic: topic, value: payloads[index % payloads.count]))
        }
        try await producer.flush(timeout: .seconds(120))
        benchmark.stopMeasurement()
        let delivered = producer.statistics.delivered
        await producer.close()
        guard delivered == UInt64(KafkaFixture.recordCount) else { fatalError("delivered \(delivered)") }
    }

    Benchmark("Produce_1M_kcat") { benchmark async throws in
        let fixture = KafkaFixture.shared
        let topic = fixture.freshTopic("produce-kcat")
        benchmark.startMeasurement()
        let status = try runKcat([
            "-P", "-l", "-b", fixture.broker.bootstrapServers, "-t", topic,
            "-X", "sticky.partitioning.linger.ms=0", "-X", "enable.idempotence=true", "-X", "log_level=3",
            fixture.payloadFile,
        ])
        benchmark.stopMeasurement()
        let stored = try await fixture.storedRecords(topic)
        guard status == 0, stored == KafkaFixture.recordCount else { fatalError("kcat exit \(status), stored \(stored)") }
    }
}
