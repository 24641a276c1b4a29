import ArgumentParser
import DriftCompare
import DriftJSON
import DriftLearn
import DriftRegistry
import Foundation

/// `driftwatch train`: a model's first version, registered with its reference profile.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train, cross-validate and register a model version from a labelled file (CSV or JSON Lines, gzip accepted).",
        discussion: """
            Every column but the target and the excluded ones is a feature: numeric when all its present values \
            are numbers (median-imputed, standardized), else categorical (most-frequent-imputed, one-hot with an \
            unknown bucket). The model is a multinomial logistic regression (L2, L-BFGS). Stratified k-fold \
            cross-validation gives the version's metrics and, from its out-of-fold predictions, the reference \
            profile's prediction, confidence and performance baselines. The version is written to the registry \
            atomically (DIR/<model>/versions/<n>/: model.json, profile.json, version.json) and becomes the \
            champion when the model has none. `driftwatch monitor --registry DIR` then watches every champion.
            """
    )

    @Option(help: "Labelled training data (CSV or JSON Lines, optionally gzip).")
    var data: String

    @Option(help: "The label column.")
    var target: String

    @Option(help: "The model's id (letters, digits, '.', '_', '-').")
    var modelId: String

    @Option(help: "The registry directory.")
    var registry = "registry"

    @Option(help: "Mirror the registry to this MLflow tracking server (http://host:port): run, metrics, artifacts, model version, alias champion.")
    var mlflowUri: String?

    @Option(help: "Leave these columns out of the features (comma-separated; repeatable).")
    var exclude: [String] = []

    @Option(help: "Cross-validation folds.")
    var folds = 5

    @Option(help: "The fold-shuffling seed.")
    var seed: UInt64 = 42

    @Option(name: .customLong("C"), help: "Inverse L2 regularization strength (scikit-learn's C).")
    var inverseRegularization = 1.0

    @Option(help: "Class weights: none or balanced.")
    var classWeight = "none"

    @Option(help: "classification (logistic regression; default) or regression (ridge regression on a numeric target).")
    var task = "classification"

    @Option(help: "Regression: the ridge penalty (scikit-learn's alpha).")
    var alpha = 1.0

    @Flag(help: "Print the registered version's record as JSON on stdout.")
    var json = false

    func validate() throws {
        guard ["classification", "regression"].contains(task) else { throw ValidationError("--task is classification or regression") }
        guard alpha > 0 else { throw ValidationError("--alpha must be positive") }
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        guard inverseRegularization > 0 else { throw ValidationError("--C must be positive") }
        guard ["none", "balanced"].contains(classWeight) else { throw ValidationError("--class-weight is none or balanced") }
        do { try ModelRegistry.validate(modelID: modelId) } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        do {
            let table = try DataTable.load(path: data)
            let excluded = CommaSeparated.items(exclude)
            for name in excluded + [target] where !table.columnNames.contains(name) {
                throw ValidationError("no column \(name) in \(data); its columns: \(table.columnNames.joined(separator: ", "))")
            }
            var training = InitialTraining(modelID: modelId, target: target)
            training.excluded = Set(excluded)
            training.folds = folds
            training.seed = seed
            training.trainer.regression.inverseRegularization = inverseRegularization
            training.trainer.regression.classWeight = classWeight == "balanced" ? .balanced : .none
            var models = ModelRegistry(directory: registry, mirror: mlflowUri.map(MLflowMirror.init(trackingURI:)))
            models.onMirrorFailure = { StandardError.emit("warning: \($0)\n") }
            if task == "regression" { return try trainRegression(table, training, models) }
            let outcome = try training.run(table, registry: models)
            let record = outcome.record
            let accuracy = outcome.crossValidation.mean("accuracy") ?? .nan
            let deviation = outcome.crossValidation.standardDeviation("accuracy") ?? .nan
            StandardError.emit(String(
                format: "%@ version %@: %d rows, %d features, %d classes; %d-fold accuracy %.4f ± %.4f, macro F1 %.4f, ROC-AUC %.4f; %.2f s%@ → %@\n",
                record.modelID, record.version, record.trainingRows, record.features.count, record.classes.count, folds, accuracy, deviation,
                outcome.crossValidation.mean("f1") ?? .nan, outcome.crossValidation.mean("roc_auc") ?? .nan, record.trainingSeconds,
                outcome.promoted ? " (champion)" : "", registry))
            if json { print(record.json().serialized(pretty: true)) }
        } catch let error as ValidationError {
            throw error
        } catch {
            StandardError.emit("error: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// A ridge regressor of the numeric target: rows whose target is missing are left out, a non-numeric one is an error.
    private func trainRegression(_ table: DataTable, _ settings: InitialTraining, _ models: ModelRegistry) throws {
        var training = settings
        training.regressor.ridge.alpha = alpha
        let (texts, rows) = try TrainingTable.labels(table, target: target)
        var labels: [Double] = []
        for text in texts {
            guard let value = Double(text), value.isFinite else { throw ValidationError("--task regression: the target \(target) has the value \"\(text)\", not a number") }
            labels.append(value)
        }
        let all = try TrainingTable(table, excluding: training.excluded.union([target]))
        let features = rows.count == all.rowCount ? all : all.subset(rows)
        let outcome = try training.runRegression(features: features, labels: labels, source: table.path, format: table.format, registry: models)
        let means = Dictionary(uniqueKeysWithValues: outcome.crossValidation.means)
        StandardError.emit(String(
            format: "%@ version %@: %d rows, %d features; %d-fold RMSE %.4f, MAE %.4f, R² %.4f; %.2f s%@ → %@\n",
            outcome.record.modelID, outcome.record.version, outcome.record.trainingRows, outcome.record.features.count, folds,
            means["rmse"] ?? .nan, means["mae"] ?? .nan, means["r2"] ?? .nan, outcome.record.trainingSeconds,
            outcome.promoted ? " (champion)" : "", registry))
        if json { print(outcome.record.json().serialized(pretty: true)) }
    }
}
