import ArgumentParser
import DriftContracts
import DriftKafka
import DriftMonitor
import DriftStats
import Foundation

/// `driftwatch simulate`: a synthetic model's traffic on Kafka, with drift injected on cue.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Produce a synthetic binary classifier's inference (and feedback) events, optionally with drift.",
        discussion: """
            20 numeric features f00-f19 and 5 categorical c0-c4; --profile-out writes the matching reference \
            profile for `driftwatch monitor`. Event times start --start-offset before now and advance by \
            --spacing per event; drift starts at event --drift-at. For soak runs: --models N spreads the events \
            round-robin over N models (MODEL-ID-01 …), --wall-clock stamps each event with the time it is produced \
            at, --duration bounds the run by time and --progress-interval reports the producer's totals on stderr.
            """
    )

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Events to produce (default 10000; with --duration: no limit unless given).")
    var events: Int?
    @Option(help: "Model id.")
    var modelId: String = "credit-risk"
    @Option(help: "Model version.")
    var modelVersion: String = "1"
    @Option(help: "Random seed.")
    var seed: UInt64 = 7
    @Option(help: "After the last event, one more per inference partition stamped this long after it, so every partition's watermark passes the last window (finite replays; e.g. 10s).")
    var watermarkBeacon: String?

    @Option(help: "Produce at this many events per second (paced in 10 ms steps; default: as fast as possible).")
    var rate: Int?

    @Option(help: "Event-time spacing between events (e.g. 10ms).")
    var spacing: String = "10ms"
    @Option(help: "How far before now the first event is stamped (e.g. 1h).")
    var startOffset: String = "1h"
    @Option(help: "Align the first event time down to a multiple of this duration (e.g. the monitor's window).")
    var align: String?
    @Option(help: "Event number from which drift applies.")
    var driftAt: Int?
    @Option(help: "Mean shifts, feature-index=deviations,... (e.g. 3=1.5,11=-1).")
    var meanShift: String?
    @Option(help: "Categorical features (0-4) whose distribution flips.")
    var categoricalShift: [Int] = []
    @Option(help: "Share of labels flipped after the drift.")
    var labelFlip: Double = 0
    @Option(help: "Share of events that get a feedback event (labels).")
    var feedbackShare: Double = 0
    @Option(help: "Topic of inference events.")
    var inferenceTopic: String = "inference-events"
    @Option(help: "Topic of feedback events.")
    var feedbackTopic: String = "feedback-events"
    @Option(help: "Write the reference profile (built from undrifted rows) here, and produce nothing unless --events > 0.")
    var profileOut: String?
    @Option(help: "Rows in the reference profile.")
    var profileRows: Int = 20_000

    @Flag(name: .long, help: "Write latency_ms (2-10 ms) into every event.")
    var latency = false

    @Option(name: .long, help: "From --drift-at: share of requests that fail (error, no prediction).")
    var errorShare: Double = 0

    @Option(name: .long, help: "From --drift-at: factor on latency_ms.")
    var latencyFactor: Double = 1

    @Option(help: "Simulate this many models with the same traffic, ids MODEL-ID-01 … MODEL-ID-NN, events round-robin (default 1: --model-id itself). --profile-out is then a directory that gets one MODEL.json profile per model.")
    var models: Int = 1

    @Flag(help: "Stamp each event with the wall-clock time it is produced at, so windows close in real time (--spacing, --start-offset and --align do not apply; --drift-at needs --rate and starts at drift-at / rate seconds).")
    var wallClock = false

    @Option(help: "Stop producing after this long (e.g. 1h); --events, when given, still caps the count.")
    var duration: String?

    @Option(help: "Every this long (e.g. 5s), one line on stderr: progress produced=N delivered=N failed=N elapsed_ms=N.")
    var progressInterval: String?

    @Option(help: "Render this many distinct events (rounded up to a multiple of --models) once, then send them over and over with only the event id (fixed width) and the timestamp rewritten: about a tenth of the CPU per event, for steady high rates on a shared machine. Not with --drift-at or --feedback-share.")
    var payloadPool: Int?

    func run() async throws {
        let (streams, start, spacingMilliseconds) = try prepare()
        guard eventLimit > 0 else { return }
        try await produce(streams, start: start, spacingMilliseconds: spacingMilliseconds)
    }

    /// How many events to produce at most.
    private var eventLimit: Int { events ?? (duration == nil ? 10_000 : Int.max) }

    /// The model ids: `--model-id` alone, or `--model-id`-01 … with `--models`.
    var modelIDs: [String] {
        guard models > 1 else { return [modelId] }
        let width = max(2, String(models).count)
        return (1...models).map { number in
            let digits = String(number)
            return "\(modelId)-" + String(repeating: "0", count: width - digits.count) + digits
        }
    }

    /// Checks the options, builds the streams (one per model) and writes the profiles when asked.
    private func prepare() throws -> ([SyntheticStream], Int64, Int64) {
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive, got \(rate)") }
        guard (1...10_000).contains(models) else { throw ValidationError("--models must be between 1 and 10000, got \(models)") }
        if let duration, (WindowSpec.parseDuration(duration) ?? 0) <= 0 { throw ValidationError("--duration takes a positive duration (30s, 1h)") }
        if let progressInterval, (WindowSpec.parseDuration(progressInterval) ?? 0) <= 0 {
            throw ValidationError("--progress-interval takes a positive duration (5s)")
        }
        if let payloadPool {
            guard payloadPool > 0 else { throw ValidationError("--payload-pool must be positive, got \(payloadPool)") }
            guard driftAt == nil, feedbackShare == 0 else { throw ValidationError("--payload-pool repeats undrifted events: not with --drift-at or --feedback-share") }
        }
        if wallClock, driftAt != nil, rate == nil { throw ValidationError("--wall-clock with --drift-at needs --rate (the drift starts at drift-at / rate seconds)") }
        guard let spacingMilliseconds = WindowSpec.parseDuration(spacing), let offset = WindowSpec.parseDuration(startOffset) else {
            throw ValidationError("--spacing and --start-offset take durations (10ms, 1h)")
        }
        var start = Int64(Date().timeIntervalSince1970 * 1_000) - (wallClock ? 0 : offset)
        if let align, !wallClock {
            guard let step = WindowSpec.parseDuration(align), step > 0 else { throw ValidationError("--align takes a positive duration") }
            start = start / step * step
        }
        var drift: SyntheticStream.Drift? = nil
        if let driftAt {
            let onset = wallClock ? start + Int64(driftAt) * 1_000 / Int64(rate ?? 1) : start + Int64(driftAt) * spacingMilliseconds
            var configured = SyntheticStream.Drift(onset: onset)
            for entry in (meanShift ?? "").split(separator: ",") {
                let parts = entry.split(separator: "=")
                guard parts.count == 2, let feature = Int(parts[0]), let shift = Double(parts[1]) else {
                    throw ValidationError("--mean-shift: '\(entry)' is not index=deviations")
                }
                configured.meanShifts[feature] = shift
            }
            configured.categoricalShifts = Set(categoricalShift)
            configured.labelFlipShare = labelFlip
            guard (0...1).contains(errorShare), latencyFactor > 0 else { throw ValidationError("--error-share takes a share from 0 to 1, --latency-factor a positive factor") }
            configured.errorShare = errorShare
            configured.latencyFactor = latencyFactor
            drift = configured
        }
        let streams = modelIDs.map { id in
            var stream = SyntheticStream(modelID: id, modelVersion: modelVersion, seed: seed, drift: drift)
            stream.latency = latency
            return stream
        }
        if let profileOut {
            let profile = try streams[0].profile(rows: profileRows, createdAt: Int64(Date().timeIntervalSince1970 * 1_000))
            if models == 1 {
                try Data(profile.json()).write(to: URL(fileURLWithPath: profileOut))
                StandardError.emit("driftwatch simulate: wrote the profile of \(modelId)@\(modelVersion) to \(profileOut)\n")
            } else {
                // Every model's traffic comes from the same seed, so their profiles differ only in the model id.
                try FileManager.default.createDirectory(atPath: profileOut, withIntermediateDirectories: true)
                for stream in streams {
                    var renamed = profile
                    renamed.modelID = stream.modelID
                    try Data(renamed.json()).write(to: URL(fileURLWithPath: profileOut).appendingPathComponent("\(stream.modelID).json"))
                }
                StandardError.emit("driftwatch simulate: wrote the profiles of \(models) models (\(streams[0].modelID) … \(streams[models - 1].modelID), version \(modelVersion)) to \(profileOut)/\n")
            }
        }
        return (streams, start, spacingMilliseconds)
    }

    /// Produces the events (and feedback, and beacons).
    private func produce(_ streams: [SyntheticStream], start: Int64, spacingMilliseconds: Int64) async throws {
        var configuration = try kafka.configuration(defaultBootstrapServers: "127.0.0.1:9092", role: .producer)
        configuration.properties["sticky.partitioning.linger.ms"] = configuration.properties["sticky.partitioning.linger.ms"] ?? "0"
        let producer = try Self.makeProducer(configuration)
        var batch: [KafkaProducerMessage] = []
        var feedbackCount = 0
        let began = ContinuousClock.now
        let chunk = rate.map { max(1, $0 / 100) } ?? 5_000
        let limit = eventLimit
        let deadline = duration.flatMap(WindowSpec.parseDuration).map { began + .milliseconds($0) }
        let progressEvery = progressInterval.flatMap(WindowSpec.parseDuration).map { Duration.milliseconds($0) }
        var nextProgress = progressEvery.map { began + $0 }
        var produced = 0
        var wallTime = start
        let pool = try payloadPool.map { try PayloadPool(streams, size: $0, timestamp: start) }
        for index in 0..<limit {
            if wallClock, index % 64 == 0 { wallTime = Int64(Date().timeIntervalSince1970 * 1_000) }
            let time = wallClock ? wallTime : start + Int64(index) * spacingMilliseconds
            let stream = streams[index % streams.count]
            if let pool {
                let (key, value) = try pool.event(index, timestamp: time)
                batch.append(KafkaProducerMessage(topic: inferenceTopic, key: key, value: value))
            } else {
                let record = stream.record(index, timestamp: time)
                batch.append(KafkaProducerMessage(topic: inferenceTopic, key: Array(record.eventID.utf8), value: record.json()))
            }
            if feedbackShare > 0, Double(index % 1_000) < feedbackShare * 1_000 {
                let feedback = stream.feedback(index, eventTime: time, observedAt: time + 1_000)
                batch.append(KafkaProducerMessage(topic: feedbackTopic, key: Array(feedback.eventID.utf8), value: feedback.json()))
                feedbackCount += 1
            }
            produced = index + 1
            if batch.count >= chunk {
                try await Self.enqueue(producer, batch, pacedFrom: began, sent: index + 1, rate: rate)
                batch.removeAll(keepingCapacity: true)
                if deadline != nil || nextProgress != nil {
                    let now = ContinuousClock.now
                    if let due = nextProgress, let every = progressEvery, now >= due {
                        Self.reportProgress(producer, produced: produced, since: began)
                        nextProgress = due + every
                    }
                    if let deadline, now >= deadline { break }
                }
            }
        }
        try await Self.enqueue(producer, batch)
        var beacons = 0
        if let watermarkBeacon {
            guard let after = WindowSpec.parseDuration(watermarkBeacon), after > 0 else { throw ValidationError("--watermark-beacon takes a positive duration") }
            let last = wallClock ? Int64(Date().timeIntervalSince1970 * 1_000) : start + Int64(max(produced - 1, 0)) * spacingMilliseconds
            beacons = try await produceBeacons(producer, configuration, streams[0], first: produced, time: last + after)
        }
        try await Self.flush(producer)
        if progressEvery != nil { Self.reportProgress(producer, produced: produced, since: began) }
        await producer.close()
        StandardOutput.emitLine("produced=\(produced) feedback=\(feedbackCount)" + (beacons > 0 ? " beacons=\(beacons)" : ""))
    }

    /// One progress line on stderr: the events produced so far and the producer's delivery totals.
    private static func reportProgress(_ producer: KafkaProducer, produced: Int, since began: ContinuousClock.Instant) {
        let statistics = producer.statistics
        let milliseconds = (ContinuousClock.now - began).inMilliseconds
        StandardError.emit("progress produced=\(produced) delivered=\(statistics.delivered) failed=\(statistics.failed) elapsed_ms=\(milliseconds)\n")
    }

    // The producer's typed-throwing calls sit behind these non-inlined wrappers: inlined into `run()`, Swift
    // 6.3.1's release build crashed while splitting the coroutine (swifterror around a suspension point).
    @inline(never)
    private static func enqueue(
        _ producer: KafkaProducer, _ messages: [KafkaProducerMessage], pacedFrom began: ContinuousClock.Instant? = nil, sent: Int = 0, rate: Int? = nil
    ) async throws {
        try await producer.enqueue(contentsOf: messages)
        // Paced production: the `sent`th event is due `sent / rate` seconds after `began`.
        if let began, let rate { try? await Task.sleep(until: began + .microseconds(Int64(sent) * 1_000_000 / Int64(rate))) }
    }

    @inline(never)
    private static func makeProducer(_ configuration: KafkaConfiguration) throws -> KafkaProducer {
        try KafkaProducer(configuration: configuration)
    }

    @inline(never)
    private static func flush(_ producer: KafkaProducer) async throws {
        try await producer.flush()
    }

    /// One event per inference partition stamped `time`, numbered from `first`; returns how many.
    private func produceBeacons(
        _ producer: KafkaProducer, _ configuration: KafkaConfiguration, _ stream: SyntheticStream, first: Int, time: Int64
    ) async throws -> Int {
        let admin = try KafkaAdmin(configuration: configuration)
        let partitions = try await admin.listTopics().first { $0.name == inferenceTopic }?.partitions.count ?? 0
        for partition in 0..<partitions {
            let record = stream.record(first + partition, timestamp: time)
            try await Self.enqueue(producer, [KafkaProducerMessage(topic: inferenceTopic, partition: Int32(partition), key: Array(record.eventID.utf8), value: record.json())])
        }
        return partitions
    }
}

/// `--payload-pool`: events rendered once, sent again with a new event id and timestamp written into their bytes.
struct PayloadPool {
    struct Template {
        var bytes: [UInt8]
        /// Where the event id's 12 index digits and the timestamp's 13 digits start.
        var indexDigits: Int
        var timestampDigits: Int
        var keyRange: Range<Int>
    }

    static let indexWidth = 12
    static let timestampWidth = 13
    let templates: [Template]

    /// `size` events (rounded up to a multiple of the models), round-robin over `streams` like the plain path.
    init(_ streams: [SyntheticStream], size: Int, timestamp: Int64) throws {
        let count = (size + streams.count - 1) / streams.count * streams.count
        var templates: [Template] = []
        templates.reserveCapacity(count)
        for index in 0..<count {
            let stream = streams[index % streams.count]
            var record = stream.record(index, timestamp: timestamp)
            let prefix = "\(stream.modelID)-\(stream.seed)-"
            record.eventID = prefix + String(repeating: "0", count: Self.indexWidth)
            record.timestamp = 1_000_000_000_000
            let bytes = record.json()
            guard let id = Self.find(Array("\"event_id\":\"\(record.eventID)\"".utf8), in: bytes),
                  let time = Self.find(Array("\"timestamp\":1000000000000".utf8), in: bytes) else {
                throw ValidationError("--payload-pool: cannot find the event id and timestamp in a rendered event")
            }
            let idStart = id + "\"event_id\":\"".utf8.count
            let keyEnd = idStart + record.eventID.utf8.count
            templates.append(Template(
                bytes: bytes, indexDigits: keyEnd - Self.indexWidth, timestampDigits: time + "\"timestamp\":".utf8.count, keyRange: idStart..<keyEnd))
        }
        self.templates = templates
    }

    /// Event `index`: the template of its place in the pool with `index` and `timestamp` written in.
    func event(_ index: Int, timestamp: Int64) throws -> (key: [UInt8], value: [UInt8]) {
        guard (1_000_000_000_000..<10_000_000_000_000).contains(timestamp), index < 1_000_000_000_000 else {
            throw ValidationError("--payload-pool: event \(index) at \(timestamp) ms does not fit the fixed-width fields")
        }
        let template = templates[index % templates.count]
        var bytes = template.bytes
        Self.write(UInt64(index), width: Self.indexWidth, into: &bytes, at: template.indexDigits)
        Self.write(UInt64(timestamp), width: Self.timestampWidth, into: &bytes, at: template.timestampDigits)
        return (Array(bytes[template.keyRange]), bytes)
    }

    private static func write(_ value: UInt64, width: Int, into bytes: inout [UInt8], at start: Int) {
        var rest = value
        for position in stride(from: start + width - 1, through: start, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
