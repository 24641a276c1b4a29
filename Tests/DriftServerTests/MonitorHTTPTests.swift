import DriftContracts
import DriftKafka
import DriftMonitor
import DriftServer
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The monitor as `driftwatch monitor` hosts it — `MonitorService` and the Hummingbird API in one
/// swift-service-lifecycle group — on the dev broker: health, readiness, Prometheus metrics, the models API,
/// then a graceful shutdown that still publishes the last window.
@Suite(.serialized) struct MonitorHTTPTests {
    static let window: Int64 = 10_000

    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? -1, String(decoding: data, as: UTF8.self))
    }

    /// The value of the first exposition line that starts with `series`.
    static func sample(_ exposition: String, _ series: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test(.timeLimit(.minutes(2)))
    func healthReadinessMetricsAndModelsAPI() async throws {
        let topics = [
            KafkaTopicSpecification(name: "inference-events", partitions: 2), KafkaTopicSpecification(name: "feedback-events", partitions: 1),
            KafkaTopicSpecification(name: "driftwatch.partials", partitions: 1), KafkaTopicSpecification(name: "drift-events", partitions: 1),
            KafkaTopicSpecification(name: "driftwatch.dead-letter", partitions: 1),
        ]
        let broker = try DevBroker(brokers: 1, topics: topics)
        let profile = try SyntheticStream(seed: 7).profile(rows: 5_000)
        let start = (Int64(Date().timeIntervalSince1970 * 1_000) - 3_600_000) / Self.window * Self.window
        var drift = SyntheticStream.Drift(onset: start + 2 * Self.window)
        drift.meanShifts = [3: 2.0]
        let stream = SyntheticStream(seed: 8, drift: drift)
        let perWindow = 500
        var producerConfiguration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        producerConfiguration.properties["log_level"] = "3"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        var messages: [KafkaProducerMessage] = []
        for index in 0..<(4 * perWindow) {
            let time = start + Int64(index) * Self.window / Int64(perWindow)
            messages.append(KafkaProducerMessage(topic: "inference-events", partition: Int32(index % 2), value: stream.record(index, timestamp: time).json()))
        }
        messages.append(KafkaProducerMessage(topic: "inference-events", partition: 0, value: Array(#"{"event_id": "e1", "model_id": "#.utf8)))
        try await producer.enqueue(contentsOf: messages)
        try await producer.flush()

        var kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        kafka.sessionTimeoutMilliseconds = 6_000
        kafka.properties["heartbeat.interval.ms"] = "500"
        kafka.properties["log_level"] = "3"
        var settings = MonitorSettings(kafka: kafka, window: .tumbling(Self.window))
        settings.checkpointing = false  // the last window is closed on stop
        settings.completionTimeout = 5_000
        settings.domainClassifier = false
        let registry = PrometheusCollectorRegistry()
        let metrics = MonitorMetrics(factory: PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let service = MonitorService(settings: settings, profiles: [profile], logger: logger, metrics: metrics)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let http = MonitorHTTPAPI.application(service: service, registry: registry, host: "127.0.0.1", port: 0, logger: logger) { port in
            portContinuation.yield(port)
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: StoppableService(service), successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: http),
            ],
            logger: logger))
        let running = Task { try await group.run() }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())

        #expect(try await Self.get(port, "/healthz") == (200, "ok\n"))
        var events: [DriftEvent] = []
        for await event in service.driftEvents {
            events.append(event)
            if events.count == 3 { break }  // the fourth window closes on shutdown
        }
        #expect(try await Self.get(port, "/readyz").status == 200)

        let exposition = try await Self.get(port, "/metrics")
        #expect(exposition.status == 200)
        let text = exposition.body
        #expect(Self.sample(text, #"driftwatch_events_accepted_total{type="inference"}"#) == Double(4 * perWindow))
        #expect(Self.sample(text, #"driftwatch_events_consumed_total{topic="inference-events"}"#) == Double(4 * perWindow + 1))
        #expect(Self.sample(text, #"driftwatch_dead_letters_total{reason="malformed_json"}"#) == 1)
        #expect(Self.sample(text, #"driftwatch_drift_events_total{model="credit-risk",severity="CRITICAL"}"#) == 1, "window 3 is the first after onset")
        let psi = try #require(Self.sample(text, #"driftwatch_feature_psi{model="credit-risk",version="1",feature="f03"}"#))
        #expect(psi > 0.25)
        #expect(Self.sample(text, #"driftwatch_model_severity{model="credit-risk",version="1"}"#) == 3)
        #expect(Self.sample(text, "driftwatch_window_close_latency_seconds_count") == 3)
        #expect(text.contains("driftwatch_feature_ks_pvalue{"))

        let models = try await Self.get(port, "/api/models")
        #expect(models.status == 200)
        #expect(models.body.contains(#""model_id":"credit-risk""#) && models.body.contains(#""severity":"CRITICAL""#), "\(models.body)")
        #expect(models.body.contains(#""profiles":["credit-risk@1"]"#))
        let windows = try await Self.get(port, "/api/models/credit-risk/windows?limit=2")
        #expect(windows.status == 200)
        #expect(windows.body.components(separatedBy: #""event_id":"credit-risk@1/"#).count - 1 == 2, "\(windows.body.prefix(300))")
        #expect(try await Self.get(port, "/api/models/unknown/windows").status == 404)
        #expect(try await Self.get(port, "/api/models/credit-risk/windows?limit=many").status == 400)
        let status = try await Self.get(port, "/api/status")
        #expect(status.body.contains(#""inference_accepted":\#(4 * perWindow)"#), "\(status.body)")

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(service.status.driftEventsProduced == 4, "the last window is evaluated on graceful shutdown")
        await producer.close()
        broker.shutdown()
    }
}
