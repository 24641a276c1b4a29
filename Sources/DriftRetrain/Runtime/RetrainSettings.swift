public import DriftKafka
public import DriftLearn
public import DriftRegistry

/// Everything `driftwatch retrain` runs with.
public struct RetrainSettings: Sendable {
    /// The Kafka connection (bootstrap servers, security, `-X` properties).
    public var kafka: KafkaConfiguration
    /// The registry directory (its models, versions and labelled data).
    public var registry: String
    /// An MLflow tracking server the registry is mirrored to (`http://host:port`), if any.
    public var mlflowURI: String?
    /// The consumer group.
    public var groupID = "driftwatch-retrain"
    /// Topics read and written.
    public var inferenceTopic = "inference-events"
    public var feedbackTopic: String? = "feedback-events"
    public var driftTopic = "drift-events"
    public var modelVersionsTopic = "model-versions"
    /// When to train.
    public var trigger = RetrainTriggerPolicy()
    /// Who wins.
    public var promotion = PromotionPolicy()
    /// When to go back.
    public var rollback = RollbackPolicy()
    /// Cross-validation folds.
    public var folds = 5
    /// Share of the newest recent rows held out for champion against challenger.
    public var holdoutShare = 0.2
    /// The learner's settings.
    public var trainer = ClassifierTrainer()
    /// Recent labelled rows kept per model (the newest; the store compacts at twice as many).
    public var recentRows = 100_000
    /// The most rows of the last training mixed with the new ones (the newest); `nil`: all of them. A cap keeps
    /// a concept change from being outvoted by the old data.
    public var maximumOldRows: Int?
    /// What the new version's reference profile describes.
    public var reference = Retrainer.ReferenceScope.all
    /// Manual approval of challengers, and how long they wait (ms).
    public var approval = ApprovalMode.automatic
    public var approvalTimeout: Int64 = 86_400_000
    /// The bearer token state-changing HTTP requests must carry (retrain now, approve, reject, promote, roll back);
    /// `nil`: they are refused over HTTP.
    public var apiToken: String?
    /// The bearer token read requests must carry (or the admin token); `nil`: reads are open.
    public var apiReadToken: String?
    /// How often the schedule is checked (ms).
    public var scheduleCheckInterval: Int64 = 10_000

    /// A retrainer over `registry` and `store` with these settings' promotion policy, learner, folds, held-out
    /// share, old-row cap and reference scope.
    public func retrainer(registry: ModelRegistry, store: LabelledStore) -> Retrainer {
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.promotion = promotion
        retrainer.trainer = trainer
        retrainer.folds = folds
        retrainer.holdoutShare = holdoutShare
        retrainer.maximumOldRows = maximumOldRows
        retrainer.reference = reference
        retrainer.approval = approval
        retrainer.approvalTimeout = approvalTimeout
        return retrainer
    }

    /// Defaults over a connection and a registry.
    public init(kafka: KafkaConfiguration, registry: String) {
        self.kafka = kafka
        self.registry = registry
    }
}
