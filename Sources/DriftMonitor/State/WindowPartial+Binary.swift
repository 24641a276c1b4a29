import DriftStats

/// The versioned binary form of a ``WindowPartial`` on `driftwatch.partials`.
///
/// | part | layout |
/// |---|---|
/// | header | `"DWPT"`, format version (UInt8) |
/// | body | identity (model, version, window, kind), sources, watermark, counts, features, outcomes, rows |
/// | trailer | CRC-32 of everything before it (UInt32) |
///
/// Sketches, histograms and moments are embedded in their own `DriftStats` encodings (each checked again
/// when read). Reading never traps: a damaged record is a ``PartialError/corrupt(_:)``.
extension WindowPartial {
    /// The format version written.
    /// Version 2 added `closedAt` after the event-time range; version 3 the data-quality and operational
    /// section after the rows (out-of-range counts, latency, errors, residuals). Versions 1 and 2 are still read.
    public static let formatVersion: UInt8 = 3
    static let magic: [UInt8] = Array("DWPT".utf8)
    /// Bounds on what a record may declare, so a damaged length cannot make the reader allocate wildly.
    static let maximumItems = 1 << 20

    /// The encoded partial.
    public func serialized() -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: 4_096)
        writer.write(contentsOf: Self.magic)
        writer.write(Self.formatVersion)
        writer.write(string: modelID)
        writer.write(string: modelVersion)
        writer.write(UInt64(bitPattern: window.start))
        writer.write(UInt64(bitPattern: window.end))
        writer.write(string: kind.rawValue)
        writer.write(count: sources.count)
        for source in sources {
            writer.write(string: source.topic)
            writer.write(UInt32(bitPattern: source.partition))
        }
        writer.write(UInt64(bitPattern: watermark))
        writer.write(count)
        writer.write(late)
        writer.write(UInt64(bitPattern: earliestEventTime))
        writer.write(UInt64(bitPattern: latestEventTime))
        writer.write(UInt64(bitPattern: closedAt))
        writer.write(count: features.count)
        for (name, feature) in zip(featureNames, features) {
            writer.write(string: name)
            switch feature {
            case .numeric(let numeric):
                writer.write(UInt8(0))
                Self.write(numeric, to: &writer)
            case .categorical(let categorical):
                writer.write(UInt8(1))
                Self.write(categorical, to: &writer)
            }
        }
        Self.write(outcomes, to: &writer)
        writer.write(count: rows.capacity)
        writer.write(rows.seen)
        writer.write(count: rows.rows.count)
        for row in rows.rows {
            writer.write(count: row.count)
            for value in row {
                switch value {
                case .missing: writer.write(UInt8(0))
                case .number(let number):
                    writer.write(UInt8(1))
                    writer.write(number)
                case .string(let text):
                    writer.write(UInt8(2))
                    writer.write(string: text)
                }
            }
        }
        writer.write(count: outOfRange.count)
        for count in outOfRange { writer.write(count) }
        Self.writeOptional(operations.latency, to: &writer)
        writer.write(operations.errors)
        Self.writeOptional(outcomes.residual, to: &writer)
        let checksum = CRC32.checksum(writer.bytes)
        writer.write(checksum)
        return writer.bytes
    }

    /// Decodes a partial written by ``serialized()``.
    public init(serialized bytes: [UInt8]) throws(PartialError) {
        let body = try Self.checkedBody(bytes, magic: Self.magic, name: "window partial")
        do {
            self = try Self.read(BinaryReader(body))
        } catch let error as PartialError {
            throw error
        } catch {
            throw .corrupt("\(error)")
        }
    }

    private static func read(_ input: BinaryReader) throws -> WindowPartial {
        var reader = input
        _ = try reader.readBytes(4)
        let version = try reader.readUInt8()
        guard (1...formatVersion).contains(version) else {
            throw PartialError.corrupt("format version \(version) is not supported (this build reads 1 to \(formatVersion))")
        }
        let modelID = try reader.readString(field: "model_id")
        let modelVersion = try reader.readString(field: "model_version")
        let start = Int64(bitPattern: try reader.readUInt64())
        let end = Int64(bitPattern: try reader.readUInt64())
        guard let kind = Kind(rawValue: try reader.readString(field: "kind")) else { throw PartialError.corrupt("unknown window kind") }
        var sources: [SourcePartition] = []
        for _ in 0..<(try reader.readCount(field: "sources", limit: maximumItems)) {
            let topic = try reader.readString(field: "topic")
            sources.append(SourcePartition(topic: topic, partition: Int32(bitPattern: try reader.readUInt32())))
        }
        let watermark = Int64(bitPattern: try reader.readUInt64())
        let count = try reader.readUInt64()
        let late = try reader.readUInt64()
        let earliest = Int64(bitPattern: try reader.readUInt64())
        let latest = Int64(bitPattern: try reader.readUInt64())
        let closedAt = version >= 2 ? Int64(bitPattern: try reader.readUInt64()) : .min
        var names: [String] = []
        var features: [FeaturePartial] = []
        for _ in 0..<(try reader.readCount(field: "features", limit: maximumItems)) {
            names.append(try reader.readString(field: "feature name"))
            switch try reader.readUInt8() {
            case 0: features.append(.numeric(try readNumeric(&reader)))
            case 1: features.append(.categorical(try readCategorical(&reader)))
            case let tag: throw PartialError.corrupt("unknown feature tag \(tag)")
            }
        }
        var outcomes = try readOutcomes(&reader)
        let capacity = try reader.readCount(field: "sample capacity", limit: maximumItems)
        let seen = try reader.readUInt64()
        var rows: [[RowSample.Value]] = []
        for _ in 0..<(try reader.readCount(field: "rows", limit: maximumItems)) {
            var row: [RowSample.Value] = []
            for _ in 0..<(try reader.readCount(field: "row", limit: maximumItems)) {
                switch try reader.readUInt8() {
                case 0: row.append(.missing)
                case 1: row.append(.number(try reader.readDouble()))
                case 2: row.append(.string(try reader.readString(field: "row value")))
                case let tag: throw PartialError.corrupt("unknown row value tag \(tag)")
                }
            }
            rows.append(row)
        }
        var outOfRange: [UInt64] = []
        var operations = OperationalPartial()
        if version >= 3 {
            let counted = try reader.readCount(field: "out-of-range counts", limit: maximumItems)
            guard counted == 0 || counted == features.count else { throw PartialError.corrupt("\(counted) out-of-range counts for \(features.count) features") }
            for _ in 0..<counted { outOfRange.append(try reader.readUInt64()) }
            operations.latency = try readOptional(&reader)
            operations.errors = try reader.readUInt64()
            outcomes.residual = try readOptional(&reader)
        }
        try reader.expectEnd()
        var partial = WindowPartial(
            modelID: modelID, modelVersion: modelVersion, window: WindowKey(start: start, end: end), kind: kind, sources: sources,
            watermark: watermark, count: count, late: late, featureNames: names, features: features, outcomes: outcomes,
            rows: RowSamplePartial(capacity: capacity, seen: seen, rows: rows))
        partial.earliestEventTime = earliest
        partial.latestEventTime = latest
        partial.closedAt = closedAt
        partial.outOfRange = outOfRange
        partial.operations = operations
        return partial
    }

    /// The record without its CRC-32 trailer, after checking the magic and the checksum.
    static func checkedBody(_ bytes: [UInt8], magic: [UInt8], name: String) throws(PartialError) -> [UInt8] {
        guard bytes.count >= magic.count + 5, bytes.starts(with: magic) else { throw .corrupt("not a \(name) (bad magic)") }
        let body = Array(bytes.dropLast(4))
        let stored = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }  // little-endian
        guard CRC32.checksum(body) == stored else { throw .corrupt("\(name) checksum mismatch") }
        return body
    }

    private static func writeBlob(_ blob: [UInt8], to writer: inout BinaryWriter) {
        writer.write(count: blob.count)
        writer.write(contentsOf: blob)
    }

    private static func readBlob(_ reader: inout BinaryReader) throws -> [UInt8] {
        Array(try reader.readBytes(try reader.readCount(field: "blob", limit: 1 << 28)))
    }

    private static func write(_ numeric: NumericPartial, to writer: inout BinaryWriter) {
        writeBlob(numeric.histogram.serialized(), to: &writer)
        writeBlob(numeric.sketch.serialized(), to: &writer)
        writeBlob(numeric.moments.serialized(), to: &writer)
    }

    private static func readNumeric(_ reader: inout BinaryReader) throws -> NumericPartial {
        let histogram = try FixedEdgeHistogram(serialized: try readBlob(&reader))
        let sketch = try KLLSketch(serialized: try readBlob(&reader))
        let moments = try Moments(serialized: try readBlob(&reader))
        return NumericPartial(histogram: histogram, sketch: sketch, moments: moments)
    }

    private static func write(_ categorical: CategoricalPartial, to writer: inout BinaryWriter) {
        writer.write(count: categorical.counts.count)
        for count in categorical.counts { writer.write(count) }
        let unseen = categorical.unseen.sorted { $0.key < $1.key }
        writer.write(count: unseen.count)
        for (name, count) in unseen {
            writer.write(string: name)
            writer.write(count)
        }
        writer.write(categorical.unseenOther)
        writer.write(categorical.missing)
    }

    private static func readCategorical(_ reader: inout BinaryReader) throws -> CategoricalPartial {
        var counts: [UInt64] = []
        for _ in 0..<(try reader.readCount(field: "categories", limit: maximumItems)) { counts.append(try reader.readUInt64()) }
        var unseen: [String: UInt64] = [:]
        for _ in 0..<(try reader.readCount(field: "unseen", limit: CategoricalPartial.unseenLimit)) {
            let name = try reader.readString(field: "unseen category")
            unseen[name] = try reader.readUInt64()
        }
        let other = try reader.readUInt64()
        return CategoricalPartial(counts: counts, unseen: unseen, unseenOther: other, missing: try reader.readUInt64())
    }

    private static func writeOptional(_ numeric: NumericPartial?, to writer: inout BinaryWriter) {
        if let numeric {
            writer.write(UInt8(1))
            write(numeric, to: &writer)
        } else {
            writer.write(UInt8(0))
        }
    }

    private static func readOptional(_ reader: inout BinaryReader) throws -> NumericPartial? {
        try reader.readUInt8() == 1 ? try readNumeric(&reader) : nil
    }

    private static func write(_ outcomes: OutcomePartial, to writer: inout BinaryWriter) {
        writer.write(count: outcomes.classes.count)
        for (name, predicted) in zip(outcomes.classes, outcomes.predicted) {
            writer.write(string: name)
            writer.write(predicted)
        }
        let pairs = outcomes.confusion.sorted { ($0.key.truth, $0.key.predicted) < ($1.key.truth, $1.key.predicted) }
        writer.write(count: pairs.count)
        for (pair, count) in pairs {
            writer.write(count: pair.truth)
            writer.write(count: pair.predicted)
            writer.write(count)
        }
        writer.write(outcomes.labelled)
        writeOptional(outcomes.confidence, to: &writer)
        writer.write(outcomes.entropySum)
        writeOptional(outcomes.score, to: &writer)
        writer.write(string: outcomes.positiveClass ?? "")
        writer.write(count: outcomes.rocPositive.count)
        for (positive, negative) in zip(outcomes.rocPositive, outcomes.rocNegative) {
            writer.write(positive)
            writer.write(negative)
        }
        writer.write(outcomes.residualCount)
        writer.write(outcomes.absoluteErrorSum)
        writer.write(outcomes.squaredErrorSum)
        writeBlob(outcomes.labelMoments.serialized(), to: &writer)
    }

    private static func readOutcomes(_ reader: inout BinaryReader) throws -> OutcomePartial {
        var classes: [String] = []
        var predicted: [UInt64] = []
        for _ in 0..<(try reader.readCount(field: "classes", limit: maximumItems)) {
            classes.append(try reader.readString(field: "class"))
            predicted.append(try reader.readUInt64())
        }
        var confusion: [OutcomePartial.Pair: UInt64] = [:]
        for _ in 0..<(try reader.readCount(field: "confusion", limit: maximumItems)) {
            let truth = try reader.readCount(field: "true class", limit: max(classes.count - 1, 0))
            let predictedClass = try reader.readCount(field: "predicted class", limit: max(classes.count - 1, 0))
            confusion[OutcomePartial.Pair(truth: truth, predicted: predictedClass)] = try reader.readUInt64()
        }
        let labelled = try reader.readUInt64()
        let confidence = try readOptional(&reader)
        let entropySum = try reader.readDouble()
        let score = try readOptional(&reader)
        let positive = try reader.readString(field: "positive class")
        var rocPositive: [UInt64] = []
        var rocNegative: [UInt64] = []
        let bins = try reader.readCount(field: "roc bins", limit: OutcomePartial.rocBins)
        guard bins == 0 || bins == OutcomePartial.rocBins else { throw PartialError.corrupt("\(bins) ROC bins") }
        for _ in 0..<bins {
            rocPositive.append(try reader.readUInt64())
            rocNegative.append(try reader.readUInt64())
        }
        let residualCount = try reader.readUInt64()
        let absolute = try reader.readDouble()
        let squared = try reader.readDouble()
        let labelMoments = try Moments(serialized: try readBlob(&reader))
        return OutcomePartial(
            classes: classes, predicted: predicted, confusion: confusion, labelled: labelled, confidence: confidence,
            entropySum: entropySum, score: score, positiveClass: positive.isEmpty ? nil : positive, rocPositive: rocPositive,
            rocNegative: rocNegative, residualCount: residualCount, absoluteErrorSum: absolute, squaredErrorSum: squared,
            labelMoments: labelMoments)
    }
}
