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

    @Flag(help: "Print the registered version's record as JSON on stdout.")
    var json = false

    func validate() throws {
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
}
