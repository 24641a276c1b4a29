import DriftContracts
import DriftJSON
import DriftLearn
import DriftMonitor
import DriftStats
import Foundation
import MonitorFuzzing

// Writes the seed corpora: `fuzz-seeds <repository root>` fills `Fuzz/Corpus/<target>/` with valid inputs
// made by the project's own encoders and copied from its fixtures and examples (small files only).
// Run by `scripts/fuzz --seeds`; the output is committed.

let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : FileManager.default.currentDirectoryPath)
let corpus = root.appendingPathComponent("Fuzz/Corpus")

func write(_ target: String, _ name: String, _ bytes: [UInt8]) {
    let directory = corpus.appendingPathComponent(target)
    try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try! Data(bytes).write(to: directory.appendingPathComponent(name))
}
func write(_ target: String, _ name: String, _ text: String) { write(target, name, Array(text.utf8)) }
func read(_ path: String) -> [UInt8] { Array(try! Data(contentsOf: root.appendingPathComponent(path))) }
func files(_ directory: String) -> [String] {
    (try! FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path)).sorted()
}
/// The first `lines` lines of a text file.
func head(_ path: String, _ lines: Int) -> String {
    String(decoding: read(path), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).prefix(lines).joined(separator: "\n") + "\n"
}

let stream = MonitorFixture.stream

// MARK: Events

for name in files("schemas/examples") where name.hasPrefix("inference-") { write("inference-event", name, read("schemas/examples/\(name)")) }
for name in files("schemas/examples") where name.hasPrefix("feedback-") { write("feedback-event", name, read("schemas/examples/\(name)")) }
for index in 0..<4 {
    var record = stream.record(index, timestamp: 1_764_000_000_000 + Int64(index), withLabel: index % 2 == 0)
    record.timestampAsText = index % 2 == 1
    if index == 2 {
        record.segments = [("region", "eu"), ("channel", "web")]
        record.latencyMilliseconds = 3.25
        record.shadow = true
    }
    if index == 3 {
        record.error = "model timeout"
        record.predictedLabel = nil
        record.probabilities = []
    }
    write("inference-event", "synthetic-\(index).json", record.json())
}
var scored = stream.record(9, timestamp: 0)
scored.probabilities = []
scored.predictedLabel = nil
scored.score = 0.75
scored.numericLabel = 1.5
write("inference-event", "synthetic-score.json", scored.json())
write("feedback-event", "synthetic-label.json", stream.feedback(1, eventTime: 0, observedAt: 1_000).json())
var numeric = FeedbackRecord(eventID: "e-1", modelID: "house-prices", label: "", timestamp: 1_764_000_000_000)
numeric.numericLabel = 123_456.5
write("feedback-event", "synthetic-numeric.json", numeric.json())

// MARK: JSON

for name in files("schemas/examples") where name.hasPrefix("inference-valid") || name.hasPrefix("feedback-valid") || name == "manifest.json" {
    write("json", name, read("schemas/examples/\(name)"))
}
for name in ["feedback-event", "label-request", "dead-letter"] { write("json", "\(name).schema.json", read("schemas/\(name).schema.json")) }
write("json", "values.json", #"[0, -0, 1e-7, 1.5E+300, -12345678901234567890, 9223372036854775807, true, false, null, "", "\u00e9\ud83d\ude00\n\"\\\/", {"a": {"b": [[], {}]}}]"#)
write("json", "escapes.json", #"{"\u0000": "\t\r\b\f", "key with spaces": "x\u2028y"}"#)

// MARK: Compare inputs

write("compare-csv", "reference-head.csv", head("Tests/DriftCompareTests/Fixtures/reference.csv", 40))
write("compare-csv", "current-head.csv", head("Tests/DriftCompareTests/Fixtures/current.csv", 40))
write("compare-csv", "quoted.csv", "id,name,score\r\n1,\"Smith, J\",0.5\r\n2,\"say \"\"hi\"\"\",NA\r\n3,\"multi\nline\",\r\n4,plain,1e3\r\n")
write("compare-csv", "semicolon.csv", "\u{FEFF}a;b;c\n1;x;2.5\n2;y;?\n3;;-4\n4;x;nan\n")
write("compare-csv", "tabs.csv", "a\tb\n1\tp\n2\tq\n3\tp\n")
write("compare-csv", "current.csv.gz", read("Tests/DriftCompareTests/Fixtures/current.csv.gz"))
write("compare-jsonl", "current-head.jsonl", head("Tests/DriftCompareTests/Fixtures/current.jsonl", 30))
write("compare-jsonl", "mixed.jsonl", """
    {"a": 1, "b": "x", "c": true}
    {"a": null, "b": "y\\u00e9", "d": 2.5e3}

    {"b": "x", "a": -3, "c": false}
    {"a": 4, "b": null}
    """)

// MARK: Sketches

var kll = try! KLLSketch(k: 8, seed: 1)
write("sketches", "kll-empty.bin", kll.serialized())
kll.update(contentsOf: [3, 1, 2])
write("sketches", "kll-small.bin", kll.serialized())
for index in 0..<300 { kll.update(Double(index % 97) * 0.5 - 10) }
write("sketches", "kll-levels.bin", kll.serialized())
var histogram = try! FixedEdgeHistogram(innerEdges: [-1, 0, 0.5, 2])
histogram.update(contentsOf: [-3, -1, 0.1, 0.7, 5, .nan])
histogram.recordMissing(2)
write("sketches", "histogram.bin", histogram.serialized())
var counts = try! CategoricalCounts(capacity: 4)
for (index, category) in ["a", "b", "a", "c", "d", "e", "a", "é", ""].enumerated() { counts.update(category, count: UInt64(index + 1)) }
counts.recordMissing()
write("sketches", "counts-overflowing.bin", counts.serialized())
write("sketches", "counts-empty.bin", try! CategoricalCounts(capacity: 10).serialized())
var moments = Moments([1, 2, 3.5, -7])
moments.recordMissing(3)
write("sketches", "moments.bin", moments.serialized())
write("sketches", "moments-empty.bin", Moments().serialized())

// MARK: Partials and checkpoints (the stream of the targets' fixture)

let sources = (0..<2).map { SourcePartition(topic: "inference-events", partition: Int32($0)) }
for (label, spec) in [("tumbling", WindowSpec.tumbling(10_000)), ("hopping", .hopping(10_000, hop: 5_000)), ("count", .count(15))] {
    var configuration = Stage1Configuration(window: spec)
    configuration.maximumFutureSkew = Int64.max / 4
    configuration.sampleCapacity = 4
    configuration.sketchK = 16
    var stage1 = Stage1Processor(configuration: configuration, profiles: [MonitorFixture.profile])
    for source in sources { stage1.assign(source) }
    // 24 events per partition, 500 ms apart: windows of 10 s hold about 20 per partition.
    for index in 0..<48 {
        let bytes = stream.record(index, timestamp: Int64(index) * 500, withLabel: index % 3 != 0).json()
        bytes.withUnsafeBytes { stage1.processInference($0, source: sources[index % 2], offset: Int64(index / 2), now: 0) }
    }
    for source in sources { stage1.advance(source, to: 24) }
    if let checkpoint = stage1.checkpoint(sources[0], now: 1) { write("checkpoints", "stage1-\(label).bin", checkpoint.serialized()) }
    stage1.flush()
    var stage2 = MonitorFixture.stage2()
    var written = 0
    for output in stage1.drain() {
        let record: PartialsRecord
        switch output {
        case .partial(let partial): record = .partial(partial)
        case .progress(let progress): record = .progress(progress)
        case .deadLetter, .labelRequests: continue
        }
        let bytes = record.serialized()
        if written < 3 || (label == "tumbling" && written < 4) {
            if case .progress = record { if label == "tumbling" { write("partials", "progress-\(written).bin", bytes) } } else {
                write("partials", "partial-\(label)-\(written).bin", bytes)
            }
            written += 1
        }
        stage2.add(serialized: bytes, now: 0)
    }
    if label != "count" {
        write("checkpoints", "stage2-\(label).bin", stage2.checkpoint(partition: 0, nextOffset: 10, now: 2).serialized())
    }
    _ = stage2.flush(now: 3)
    write("checkpoints", "stage2-\(label)-after-flush.bin", stage2.checkpoint(partition: 0, nextOffset: 11, now: 4).serialized())
}

// MARK: Profiles and models

write("reference-profile", "synthetic.json", MonitorFixture.smallProfile(stream, rows: 60).json())
write("reference-profile", "synthetic-v2.json", MonitorFixture.smallProfile(SyntheticStream(modelVersion: "2", seed: 11), rows: 30).json())

let rows = 40
let ages: [Double] = (0..<rows).map { Double(20 + $0) }
let hours: [Double] = (0..<rows).map { (row: Int) -> Double in row % 7 == 0 ? .nan : Double(30 + row % 20) }
let sectors: [String?] = (0..<rows).map { (row: Int) -> String? in row % 5 == 0 ? nil : ["private", "public", "self"][row % 3] }
let trainingColumns: [(name: String, values: FeatureValues)] = [("age", .numeric(ages)), ("hours", .numeric(hours)), ("sector", .categorical(sectors))]
let table = try! TrainingTable(trainingColumns)
let trainer = ClassifierTrainer()
let binary = try! trainer.fit(table, labels: (0..<rows).map { $0 % 2 == 0 ? "yes" : "no" }, target: "income")
write("model-json", "classifier-binary.json", binary.json().serialized())
let multi = try! trainer.fit(table, labels: (0..<rows).map { ["a", "b", "c"][$0 % 3] }, target: "tier")
write("model-json", "classifier-multiclass.json", multi.json().serialized())
let regressor = try! RegressorTrainer().fit(table, labels: (0..<rows).map { Double($0) * 1.5 }, target: "price")
write("model-json", "regressor.json", regressor.json().serialized())

// MARK: Configuration files

write("monitor-config", "monitor.yaml", read("deploy/config/monitor.yaml"))
write("monitor-config", "monitor.example.yaml", read("deploy/monitor.example.yaml"))
write("monitor-config", "flow.yaml", """
    window: {type: hopping, size: 1m, hop: 30s, grace: 5s}
    profiles: [a.json, "b c.json"]
    kafka: {properties: {security.protocol: SASL_SSL, "sasl.mechanism": PLAIN}}
    policy: {psi_warning: 0.1, psi_critical: 0.25, alpha: 0.01, domain_classifier: false}
    label_requests: {enabled: true, per_window: 5, uncertainty: entropy}
    anchors: &a {x: 1}
    http: {address: "[::1]:9000"}
    """)
write("retrain-config", "retrain.yaml", read("deploy/config/retrain.yaml"))
write("retrain-config", "flow.yaml", """
    trigger: {severities: [WARNING, CRITICAL], cooldown: off}
    promotion: {approval: manual, margin: 0.01}
    http: {address: "off"}
    """)
print("seed corpora written to \(corpus.path)")
