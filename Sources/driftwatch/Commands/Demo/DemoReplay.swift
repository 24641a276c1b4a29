import DriftContracts
import DriftJSON
import DriftKafka
import DriftRegistry
import DriftServer
import DriftStats
import Foundation

/// Replays rows through the model server (`POST /v1/predict/batch`, ten batches a second) and publishes
/// each row's label as a feedback event `labelDelay` later, as a labelling system would.
struct DemoReplay {
    let rows: [LabelledRow]
    let driftStart: Int
    let scenarioName: String
    let modelID: String
    let rate: Int
    let labelDelay: Int64
    let serveURL: String
    let bootstrap: String
    let follow: Bool
    let timeline: DemoTimeline
    let windowMilliseconds: Int64

    struct Totals {
        var events = 0
        var labels = 0
        var rate = 0.0
    }

    /// Replays until the rows run out (unless following) or `shouldStop` says so.
    func run(shouldStop: () -> Bool) async throws -> Totals {
        var configuration = KafkaConfiguration(bootstrapServers: bootstrap)
        configuration.clientID = "driftwatch-demo-labels"
        let producer = try KafkaProducer(configuration: configuration)
        let began = ContinuousClock.now
        let perTick = max(1, rate / 10)
        var pending: [(due: Int64, id: String, label: String)] = []
        var totals = Totals()
        var index = 0
        var tick = 0
        var announced = false
        var progressAt = ContinuousClock.now
        while !shouldStop() {
            if index >= rows.count {
                guard follow else { break }
                index = driftStart
            }
            if !announced, index >= driftStart {
                announced = true
                timeline.driftStarted(row: driftStart, scenario: scenarioName)
            }
            let batch = rows[index..<min(index + perTick, rows.count, index >= driftStart ? rows.count : driftStart)]
            let ids = (0..<batch.count).map { "demo-\(totals.events + $0)" }
            let body = JSONValue.object([("instances", .array(zip(ids, batch).map { id, row in
                .object([("event_id", .string(id)), ("features", LabelledRow.json(row.features))])
            }))])
            let answer = try await HTTP.post(serveURL + "/v1/predict/batch", json: Array(body.serialized().utf8))
            guard answer.status == 200 else {
                throw DemoFailure("the model server answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self).prefix(300))")
            }
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            for (id, row) in zip(ids, batch) { pending.append((now + labelDelay, id, row.label)) }
            totals.events += batch.count
            index += batch.count
            // Labels that are due.
            let due = pending.prefix { $0.due <= now }
            if !due.isEmpty {
                try await publishLabels(due, producer, at: now)
                totals.labels += due.count
                pending.removeFirst(due.count)
            }
            tick += 1
            if ContinuousClock.now - progressAt >= .seconds(10) {
                progressAt = ContinuousClock.now
                let seconds = (ContinuousClock.now - began).inSeconds
                timeline.print("  \(timeline.elapsed())  · \(totals.events.formatted()) events replayed (\(Int(Double(totals.events) / max(seconds, 0.001)))/s), \(totals.labels.formatted()) labels")
            }
            try? await Task.sleep(until: began + .milliseconds(tick * 100))
        }
        // The labels still owed, so the last windows get theirs.
        if !pending.isEmpty {
            let wait = max(0, (pending.last?.due ?? 0) - Int64(Date().timeIntervalSince1970 * 1_000))
            try? await Task.sleep(for: .milliseconds(wait))
            try await publishLabels(pending[...], producer, at: Int64(Date().timeIntervalSince1970 * 1_000))
            totals.labels += pending.count
        }
        try? await ModelServer.flush(producer)
        await producer.close()
        totals.rate = Double(totals.events) / max((ContinuousClock.now - began).inSeconds, 0.001)
        return totals
    }

    /// The labels of `items` as feedback events observed at `time`.
    private func publishLabels(_ items: ArraySlice<(due: Int64, id: String, label: String)>, _ producer: KafkaProducer, at time: Int64) async throws {
        try await ModelServer.enqueue(producer, items.map { item in
            KafkaProducerMessage(topic: "feedback-events", key: Array(item.id.utf8),
                                 value: FeedbackRecord(eventID: item.id, modelID: modelID, label: item.label, timestamp: time).json())
        })
    }
}
