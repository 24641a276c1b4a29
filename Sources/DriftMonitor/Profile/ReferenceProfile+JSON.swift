import DriftContracts
import DriftJSON
import DriftStats
import Foundation

extension ReferenceProfile {
    /// The profile as JSON (`schemas/reference-profile.schema.json`).
    public func json() -> [UInt8] {
        var writer = JSONWriter(capacity: 4_096)
        writer.beginObject()
        writer.member("schema_version", Self.schemaVersion)
        writer.member("kind", "driftwatch.reference-profile")
        writer.member("model_id", modelID)
        writer.member("model_version", modelVersion)
        writer.member("created_at", EventTimestamp.format(createdAt))
        if let source {
            writer.key("source")
            writer.beginObject()
            writer.member("path", source.path)
            writer.member("format", source.format)
            writer.member("rows", source.rows)
            writer.endObject()
        }
        writer.member("rows", rows)
        writer.key("features")
        writer.beginArray()
        for feature in features {
            writer.beginObject()
            writer.member("name", feature.name)
            writer.member("type", feature.typeName)
            writer.member("count", feature.count)
            writer.member("missing", feature.missing)
            switch feature.summary {
            case .numeric(let summary):
                writer.key("numeric")
                Self.write(summary, into: &writer)
            case .categorical(let summary):
                writer.key("categorical")
                writer.beginObject()
                writer.key("counts")
                Self.writeCounts(summary.counts, into: &writer)
                writer.member("other", Int64(summary.other))
                writer.endObject()
            }
            writer.endObject()
        }
        writer.endArray()
        if let prediction {
            writer.key("prediction")
            writer.beginObject()
            writer.key("classes")
            Self.writeCounts(prediction.classes, into: &writer)
            if let confidence = prediction.confidence {
                writer.key("confidence")
                Self.write(confidence, into: &writer)
            }
            if let score = prediction.score {
                writer.key("score")
                Self.write(score, into: &writer)
            }
            if let residual = prediction.residual {
                writer.key("residual")
                Self.write(residual, into: &writer)
            }
            writer.endObject()
        }
        if let performance {
            writer.key("performance")
            writer.beginObject()
            writer.member("labelled", performance.labelled)
            writer.key("metrics")
            writer.beginObject()
            for (name, value) in performance.metrics { writer.member(name, value) }
            writer.endObject()
            writer.endObject()
        }
        if let reservoir {
            writer.key("reservoir")
            writer.beginObject()
            writer.key("columns")
            writer.beginArray()
            for column in reservoir.columns { writer.string(column) }
            writer.endArray()
            writer.key("rows")
            writer.beginArray()
            for row in reservoir.rows {
                writer.beginArray()
                for value in row {
                    switch value {
                    case .number(let number): writer.number(number)
                    case .string(let text): writer.string(text)
                    case .missing: writer.null()
                    }
                }
                writer.endArray()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endObject()
        return writer.bytes
    }

    static func writeCounts(_ counts: [(value: String, count: UInt64)], into writer: inout JSONWriter) {
        writer.beginObject()
        for (value, count) in counts { writer.member(value, Int64(count)) }
        writer.endObject()
    }

    static func write(_ summary: NumericSummary, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("edges")
        writer.beginArray()
        for edge in summary.histogram.innerEdges { writer.number(edge) }
        writer.endArray()
        writer.key("histogram")
        writer.beginArray()
        for count in summary.histogram.counts { writer.int(Int64(count)) }
        writer.endArray()
        let moments = summary.moments
        writer.key("moments")
        writer.beginObject()
        writer.member("count", Int64(moments.count))
        writer.member("mean", moments.mean)
        writer.member("std", moments.standardDeviation)
        writer.member("min", moments.min)
        writer.member("max", moments.max)
        writer.endObject()
        writer.key("quantiles")
        writer.beginObject()
        if !summary.sketch.isEmpty {
            for (name, q) in FeatureDistribution.quantilePoints {
                writer.member(name, summary.sketch.quantile(q))
            }
        }
        writer.endObject()
        writer.member("kll_base64", Data(summary.sketch.serialized()).base64EncodedString())
        writer.endObject()
    }

    /// Reads a profile from its JSON; `path` names it in errors.
    public init(json bytes: [UInt8], path: String) throws(ProfileError) {
        func fail(_ reason: String) -> ProfileError { .invalidProfile(path: path, reason: reason) }
        let root: JSONValue
        do { root = try JSONValue.parse(bytes) } catch { throw fail("not JSON: \(error)") }
        guard root["kind"]?.stringValue == "driftwatch.reference-profile" else { throw fail("kind is not driftwatch.reference-profile") }
        guard root["schema_version"]?.stringValue == Self.schemaVersion else {
            throw fail("schema_version \(root["schema_version"].map { $0.serialized() } ?? "absent") is not \(Self.schemaVersion)")
        }
        guard let modelID = root["model_id"]?.stringValue, let modelVersion = root["model_version"]?.stringValue,
            let created = root["created_at"]?.stringValue, let createdAt = EventTimestamp.parse(created),
            let rows = root["rows"]?.intValue, let featureItems = root["features"]?.arrayValue
        else { throw fail("model_id, model_version, created_at, rows and features are required") }
        var features: [FeatureProfile] = []
        for item in featureItems {
            guard let name = item["name"]?.stringValue, let count = item["count"]?.intValue, let missing = item["missing"]?.intValue else {
                throw fail("a feature lacks name, count or missing")
            }
            switch item["type"]?.stringValue {
            case "numeric":
                guard let numeric = item["numeric"] else { throw fail("feature \(name): numeric summary missing") }
                features.append(FeatureProfile(name: name, count: count, missing: missing, summary: .numeric(try Self.readNumeric(numeric, fail: { fail("feature \(name): \($0)") }))))
            case "categorical":
                guard let categorical = item["categorical"] else { throw fail("feature \(name): categorical summary missing") }
                features.append(FeatureProfile(name: name, count: count, missing: missing, summary: .categorical(CategoricalSummary(
                    counts: try Self.readCounts(categorical["counts"], fail: { fail("feature \(name): \($0)") }),
                    other: UInt64(max(0, categorical["other"]?.intValue ?? 0))))))
            default:
                throw fail("feature \(name): type must be numeric or categorical")
            }
        }
        var prediction: PredictionProfile? = nil
        if let item = root["prediction"] {
            var confidence: NumericSummary? = nil
            var score: NumericSummary? = nil
            if let value = item["confidence"] { confidence = try Self.readNumeric(value, fail: { fail("prediction.confidence: \($0)") }) }
            if let value = item["score"] { score = try Self.readNumeric(value, fail: { fail("prediction.score: \($0)") }) }
            var residual: NumericSummary? = nil
            if let value = item["residual"] { residual = try Self.readNumeric(value, fail: { fail("prediction.residual: \($0)") }) }
            prediction = PredictionProfile(
                classes: try Self.readCounts(item["classes"] ?? .object([]), fail: { fail("prediction: \($0)") }),
                confidence: confidence, score: score, residual: residual)
        }
        var performance: PerformanceProfile? = nil
        if let item = root["performance"] {
            let metrics = (item["metrics"]?.objectValue ?? []).compactMap { name, value in value.doubleValue.map { (name: name, value: $0) } }
            performance = PerformanceProfile(labelled: item["labelled"]?.intValue ?? 0, metrics: metrics)
        }
        var reservoir: RowSample? = nil
        if let item = root["reservoir"] {
            let columns = (item["columns"]?.arrayValue ?? []).compactMap(\.stringValue)
            let rows = try (item["rows"]?.arrayValue ?? []).map { row throws(ProfileError) -> [RowSample.Value] in
                guard let values = row.arrayValue, values.count == columns.count else { throw fail("reservoir: a row has the wrong length") }
                return values.map { value in
                    if let number = value.doubleValue { return .number(number) }
                    if let text = value.stringValue { return .string(text) }
                    return .missing
                }
            }
            reservoir = RowSample(columns: columns, rows: rows)
        }
        var source: Source? = nil
        if let item = root["source"], let sourcePath = item["path"]?.stringValue {
            source = Source(path: sourcePath, format: item["format"]?.stringValue ?? "", rows: item["rows"]?.intValue ?? rows)
        }
        self.init(modelID: modelID, modelVersion: modelVersion, createdAt: createdAt, source: source, rows: rows,
                  features: features, prediction: prediction, performance: performance, reservoir: reservoir)
    }

    static func readCounts(_ value: JSONValue?, fail: (String) -> ProfileError) throws(ProfileError) -> [(value: String, count: UInt64)] {
        guard let members = value?.objectValue else { throw fail("counts must be an object") }
        return try members.map { (name, count) throws(ProfileError) in
            guard let count = count.intValue, count >= 0 else { throw fail("count of \(name) is not a non-negative integer") }
            return (value: name, count: UInt64(count))
        }
    }

    static func readNumeric(_ value: JSONValue, fail: (String) -> ProfileError) throws(ProfileError) -> NumericSummary {
        guard let edges = value["edges"]?.arrayValue?.compactMap(\.doubleValue),
            let counts = value["histogram"]?.arrayValue?.compactMap(\.intValue),
            let sketchText = value["kll_base64"]?.stringValue, let sketchData = Data(base64Encoded: sketchText),
            let moments = value["moments"]
        else { throw fail("edges, histogram, moments and kll_base64 are required") }
        let histogram: FixedEdgeHistogram
        do { histogram = try FixedEdgeHistogram(innerEdges: edges, counts: counts.map { UInt64(max(0, $0)) }) } catch {
            throw fail("histogram: \(error)")
        }
        let sketch: KLLSketch
        do { sketch = try KLLSketch(serialized: Array(sketchData)) } catch { throw fail("kll_base64: \(error)") }
        let count = moments["count"]?.intValue ?? 0
        let restored = Moments(
            count: UInt64(max(0, count)), missing: 0, mean: moments["mean"]?.doubleValue ?? .nan,
            standardDeviation: moments["std"]?.doubleValue ?? .nan, minimum: moments["min"]?.doubleValue ?? .nan,
            maximum: moments["max"]?.doubleValue ?? .nan)
        return NumericSummary(histogram: histogram, moments: restored, sketch: sketch)
    }
}
