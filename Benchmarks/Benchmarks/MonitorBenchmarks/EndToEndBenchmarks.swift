import Benchmark
import DriftContracts
import DriftKafka
import DriftMonitor
import Foundation
import Logging
import Synchronization

/// The monitor end to end on the in-process dev broker (`MonitorService`: both stages, partials through
/// Kafka, drift events published), against the raw consume rate of the same topic in the same run.
///
/// - `EndToEnd_monitor_200k`: 200,000 events (≈ 500 bytes; 4 windows of 50,000, so 1,250 events per
///   partition and window) already on 40 partitions (≈ 2.5 MB each, under the mock's 5 MiB per partition);
///   timed from stage 1's group assignment until every event is processed and the partials of the 3 closed
///   windows are handed to the producer, stage 2 reading and merging them on the other core meanwhile.
///   (Stage 2's evaluation is measured by `Stage2_evaluate_100_windows` and by the latency run: with more,
///   smaller windows the partials — 87 KB each, keyed by model into one partition — outrun the mock broker's
///   5 MiB per partition and reading them back would measure the mock's retention.) `EndToEnd_raw_consume_200k`: the same records read by a
///   bare `KafkaConsumer` (assignment, no processing).
/// - `EndToEnd_latency_100k_per_s`: a producer paces 100,000 events/s (`DRIFTWATCH_BENCH_RATE` overrides) of event time "now" over 20 partitions
///   for 12 s while the monitor runs with 1 s tumbling windows; each drift event's window-close-to-publication and
///   window-end-to-publication latencies are printed as p50 / p99.
func registerEndToEndBenchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal], warmupIterations: 0, scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 3)

    Benchmark("EndToEnd_monitor_200k", configuration: configuration) { benchmark async throws in
        let fixture = try await EndToEndFixture.shared()
        var settings = fixture.settings(window: .tumbling(10_000))
        settings.groupID = "bench-\(UUID().uuidString)"
        let service = MonitorService(settings: settings, profiles: [fixture.profile], logger: EndToEndFixture.quietLogger)
        let running = Task { try await service.run() }
        // The group join (≈ 3 s on the mock) is not the monitor's speed: start once stage 1 has its partitions
        // (the raw consumer is timed from its creation, metadata and fetch start-up included).
        while !service.isReady { try await Task.sleep(for: .microseconds(200)) }
        let started = ContinuousClock.now
        benchmark.startMeasurement()
        // Every event consumed, decoded, windowed and summarised; the partials of the 3 closed windows
        // (one per window and partition) handed to the producer.
        let expectedPartials = UInt64((EndToEndFixture.windows - 1) * Int(EndToEndFixture.partitions))
        while true {
            let status = service.status
            if status.stage1.inferenceAccepted == UInt64(EndToEndFixture.total), status.partialsProduced >= expectedPartials { break }
            try await Task.sleep(for: .milliseconds(5))  // status takes the stages' locks: poll gently
        }
        benchmark.stopMeasurement()
        let elapsed = ContinuousClock.now - started
        service.stop()
        try await running.value
        print("end-to-end stage 1: \(EndToEndFixture.total) events to published partials in \(elapsed) = \(Int(Double(EndToEndFixture.total) / elapsed.seconds)) events/s")
    }

    Benchmark("EndToEnd_raw_consume_200k", configuration: configuration) { benchmark async throws in
        let fixture = try await EndToEndFixture.shared()
        let assignment = (0..<EndToEndFixture.partitions).map {
            KafkaTopicPartitionOffset(KafkaTopicPartition(topic: "inference-events", partition: $0), offset: KafkaOffset.beginning)
        }
        let consumer = try KafkaConsumer(configuration: fixture.kafka, assignment: assignment)
        let started = ContinuousClock.now
        benchmark.startMeasurement()
        var count = 0
        var bytes = 0
        for await batch in consumer.batches {
            count += batch.count
            for message in batch { bytes &+= message.valueBytes.withUnsafeBytes { $0.count } }
            if count >= EndToEndFixture.total { break }
        }
        benchmark.stopMeasurement()
        let elapsed = ContinuousClock.now - started
        blackHole(bytes)
        await consumer.close()
        print("raw consume: \(count) records in \(elapsed) = \(Int(Double(count) / elapsed.seconds)) records/s")
    }

    Benchmark("EndToEnd_latency_steady_rate", configuration: .init(metrics: [.wallClock], warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 1)) { _ async throws in
        let livePartitions: Int32 = 20
        let broker = try DevBroker(brokers: 1, topics: EndToEndFixture.topics(inference: "live-events", partitions: livePartitions))
        let stream = SyntheticStream(seed: 42, decimals: 4)
        let profile = try stream.profile(rows: 20_000)
        var kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        kafka.sessionTimeoutMilliseconds = 6_000
        kafka.properties["log_level"] = "3"
        var settings = MonitorSettings(kafka: kafka, window: .hopping(1_000, hop: 1_000, grace: 0, allowedLateness: 0, idleTimeout: 1_000))
        settings.inferenceTopic = "live-events"
        settings.completionTimeout = 2_000
        settings.tickInterval = .milliseconds(20)
        let service = MonitorService(settings: settings, profiles: [profile], logger: EndToEndFixture.quietLogger)
        let running = Task { try await service.run() }
        while !service.isReady { try await Task.sleep(for: .milliseconds(10)) }
        var producerConfiguration = kafka
        producerConfiguration.lingerMilliseconds = 2
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let rate = Int(ProcessInfo.processInfo.environment["DRIFTWATCH_BENCH_RATE"] ?? "") ?? 50_000
        let seconds = 12
        // Payloads made before the run, their 13-digit timestamp patched at send time: the producer's share of
        // the two cores is the producing, not JSON generation.
        let placeholder: Int64 = 1_111_111_111_111
        let templates = (0..<20_000).map { stream.record($0, timestamp: placeholder).json() }
        let marker = Array(String(placeholder).utf8)
        let offsets = templates.map { template in
            (0...(template.count - marker.count)).first { template[$0..<($0 + marker.count)].elementsEqual(marker) } ?? 0
        }
        let pacing = Task {
            let clock = ContinuousClock()
            let begin = clock.now
            var sent = 0
            while sent < rate * seconds, !Task.isCancelled {
                let due = min(rate * seconds, Int(Double(rate) * (clock.now - begin).seconds) + 1_000)
                if due <= sent {
                    try await Task.sleep(for: .milliseconds(1))
                    continue
                }
                let stamp = Array(String(Int64(Date().timeIntervalSince1970 * 1_000)).utf8)
                let batch = (sent..<due).map { index -> KafkaProducerMessage in
                    var value = templates[index % templates.count]
                    let at = offsets[index % templates.count]
                    value.replaceSubrange(at..<(at + stamp.count), with: stamp)
                    return KafkaProducerMessage(topic: "live-events", partition: Int32(index % Int(livePartitions)), value: value)
                }
                try await producer.enqueue(contentsOf: batch)
                sent = due
            }
            let achieved = Double(sent) / (clock.now - begin).seconds
            print("latency run: produced \(sent) events at \(Int(achieved)) events/s")
        }
        var fromClose: [Double] = []
        var fromEnd: [Double] = []
        var counted = 0
        let watchdog = Task {
            try await Task.sleep(for: .seconds(seconds + 20))
            let status = service.status
            print("latency run: gave up waiting; consumed \(status.messagesConsumed), drift events \(status.driftEventsProduced), timed-out windows \(status.timedOutWindows)")
            pacing.cancel()
            service.stop()
        }
        for await event in service.driftEvents {
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            if event.window.closedAt != .min { fromClose.append(Double(now - event.window.closedAt)) }
            fromEnd.append(Double(now - event.window.end))
            counted += Int(event.window.count)
            if fromEnd.count >= seconds - 2 { break }
        }
        watchdog.cancel()
        _ = try? await pacing.value
        service.stop()
        try await running.value
        await producer.close()
        broker.shutdown()
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        }
        print("latency: \(fromEnd.count) windows, \(counted) events; window close → drift event p50 \(percentile(fromClose, 0.5)) ms, p99 \(percentile(fromClose, 0.99)) ms; window end → drift event p50 \(percentile(fromEnd, 0.5)) ms, p99 \(percentile(fromEnd, 0.99)) ms")
    }
}

/// The broker, topics and records the end-to-end benchmarks share (made once per process).
final class EndToEndFixture: Sendable {
    static let windows = 4
    static let perWindow = 50_000
    static let total = windows * perWindow
    static let partitions: Int32 = 40
    static let quietLogger: Logger = {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        return logger
    }()
    private static let instance = Mutex<EndToEndFixture?>(nil)

    let broker: DevBroker
    let kafka: KafkaConfiguration
    let profile: ReferenceProfile

    static func topics(inference: String, partitions: Int32 = partitions) -> [KafkaTopicSpecification] {
        [
            KafkaTopicSpecification(name: inference, partitions: partitions), KafkaTopicSpecification(name: "feedback-events", partitions: 1),
            KafkaTopicSpecification(name: "driftwatch.partials", partitions: 4), KafkaTopicSpecification(name: "drift-events", partitions: 1),
            KafkaTopicSpecification(name: "driftwatch.dead-letter", partitions: 1), KafkaTopicSpecification(name: "model-versions", partitions: 1),
        ]
    }

    private init(broker: DevBroker, kafka: KafkaConfiguration, profile: ReferenceProfile) {
        self.broker = broker
        self.kafka = kafka
        self.profile = profile
    }

    static func shared() async throws -> EndToEndFixture {
        if let existing = instance.withLock({ $0 }) { return existing }
        let broker = try DevBroker(brokers: 1, topics: topics(inference: "inference-events"))
        let stream = SyntheticStream(seed: 42, decimals: 4)
        var kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        kafka.sessionTimeoutMilliseconds = 6_000
        kafka.properties["log_level"] = "3"
        let producer = try KafkaProducer(configuration: kafka)
        let start = (Int64(Date().timeIntervalSince1970 * 1_000) - 86_400_000) / 10_000 * 10_000
        for chunk in stride(from: 0, to: total, by: 10_000) {
            let messages = (chunk..<(chunk + 10_000)).map { index in
                KafkaProducerMessage(
                    topic: "inference-events", partition: Int32(index % Int(partitions)),
                    value: stream.record(index, timestamp: start + Int64(index) * 10_000 / Int64(perWindow)).json())
            }
            try await producer.enqueue(contentsOf: messages)
        }
        try await producer.flush()
        await producer.close()
        let fixture = EndToEndFixture(broker: broker, kafka: kafka, profile: try stream.profile(rows: 20_000))
        instance.withLock { $0 = fixture }
        return fixture
    }

    func settings(window: WindowSpec) -> MonitorSettings {
        var settings = MonitorSettings(kafka: kafka, window: window)
        settings.completionTimeout = 5_000
        return settings
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
