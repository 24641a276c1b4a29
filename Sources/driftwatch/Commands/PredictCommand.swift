import ArgumentParser
import DriftCompare
import DriftContracts
import DriftJSON
import DriftKafka
import DriftLearn
import DriftRegistry
import DriftServer
import Foundation

/// `driftwatch predict`: batch scoring of a file with a registered model version.
struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a file with the registry's champion (or --version) and write the predictions; optionally publish them as inference events.",
        discussion: """
            Reads a CSV or JSON Lines file (gzip accepted) and writes one prediction per row, in order: CSV (row, \
            the --id-column if any, label, one probability column per class) or JSON Lines when --out ends in \
            .jsonl. With --bootstrap-servers the predictions are also published on the inference topic, as the \
            model server does, so the monitor watches batch jobs too (event ids from --id-column, else \
            batch-<run>-<row>; labels from --label-column when the ground truth is known).
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The model registry directory.")
    var registry: String

    @Option(help: "The model.")
    var modelId: String

    @Option(help: "The version to use (default: the champion).")
    var version: String?

    @Option(help: "The file to score.")
    var data: String

    @Option(help: "Where to write the predictions (.csv or .jsonl).")
    var out: String

    @Option(help: "A column of row ids (kept in the output; the event ids when publishing).")
    var idColumn: String?

    @Option(help: "A column with the ground truth, published with the events.")
    var labelColumn: String?

    @Option(help: "The inference topic.")
    var inferenceTopic = "inference-events"

    func run() async throws {
        do {
            let models = ModelRegistry(directory: registry)
            guard let chosen = try version ?? models.champion(modelId) else {
                throw ValidationError("\(modelId) has no champion in \(registry); give --version")
            }
            let model = try ServedModel.load(models, modelId, chosen)
            let table = try DataTable.load(path: data)
            let rows = try Self.rows(table, model: model)
            var predictions: [ServedModel.Prediction] = []
            predictions.reserveCapacity(rows.count)
            for start in stride(from: 0, to: rows.count, by: 10_000) {
                predictions += try model.score(Array(rows[start..<min(start + 10_000, rows.count)]))
            }
            let ids = try idColumn.map { try table.strings($0) }
            let labels = try labelColumn.map { try table.strings($0) }
            try write(predictions, ids: ids, classes: model.classifier.classes)
            StandardError.emit("driftwatch predict: \(predictions.count.formatted()) rows scored with \(modelId) version \(chosen) → \(out)\n")
            if kafka.clusterGiven {
                let published = try await publish(model, rows, predictions, ids: ids, labels: labels)
                StandardError.emit("driftwatch predict: \(published.formatted()) inference events published on \(inferenceTopic)\n")
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            StandardError.emit("driftwatch predict: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// Each row's values of the model's features (absent columns: missing, imputed as in training).
    static func rows(_ table: DataTable, model: ServedModel) throws -> [[String: LabelledRow.Value]] {
        var rows = [[String: LabelledRow.Value]](repeating: [:], count: table.rowCount)
        for feature in model.classifier.featureKinds where table.columnNames.contains(feature.name) {
            if feature.numeric, let numbers = try table.numbers(feature.name) {
                for (index, value) in numbers.enumerated() { rows[index][feature.name] = value.isNaN ? .missing : .number(value) }
            } else {
                for (index, value) in try table.strings(feature.name).enumerated() { rows[index][feature.name] = value.map { .text($0) } ?? .missing }
            }
        }
        return rows
    }

    func write(_ predictions: [ServedModel.Prediction], ids: [String?]?, classes: [String]) throws {
        var text = ""
        if out.hasSuffix(".jsonl") {
            for (index, prediction) in predictions.enumerated() {
                var members: [(String, JSONValue)] = [("row", .int(index))]
                if let ids { members.append(("id", ids[index].map(JSONValue.string) ?? .null)) }
                members.append(("label", .string(prediction.label)))
                members.append(("probabilities", .object(prediction.probabilities.map { ($0.0, .number($0.1)) })))
                text += JSONValue.object(members).serialized() + "\n"
            }
        } else {
            func quoted(_ field: String) -> String {
                field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }
            text = (["row"] + (ids == nil ? [] : [idColumn ?? "id"]) + ["label"] + classes.map { "p_" + $0 }).map(quoted).joined(separator: ",") + "\n"
            for (index, prediction) in predictions.enumerated() {
                let id = ids.map { [quoted($0[index] ?? "")] } ?? []
                text += ([String(index)] + id + [quoted(prediction.label)] + prediction.probabilities.map { "\($0.1)" }).joined(separator: ",") + "\n"
            }
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: out))
    }

    func publish(_ model: ServedModel, _ rows: [[String: LabelledRow.Value]], _ predictions: [ServedModel.Prediction], ids: [String?]?,
                 labels: [String?]?) async throws -> Int {
        let configuration = try kafka.configuration(defaultBootstrapServers: "127.0.0.1:9092", role: .producer)
        let producer = try KafkaProducer(configuration: configuration)
        let run = UUID().uuidString.lowercased().prefix(8)
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        var batch: [KafkaProducerMessage] = []
        for (index, prediction) in predictions.enumerated() {
            let id = ids?[index] ?? "batch-\(run)-\(index)"
            let record = model.event(id, prediction, features: LabelledRow.inferenceFeatures(rows[index]), label: labels?[index] ?? nil, time: now)
            batch.append(KafkaProducerMessage(topic: inferenceTopic, key: Array(id.utf8), value: record.json()))
            if batch.count >= 5_000 {
                try await ModelServer.enqueue(producer, batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await ModelServer.enqueue(producer, batch)
        try await ModelServer.flush(producer)
        await producer.close()
        return predictions.count
    }
}
