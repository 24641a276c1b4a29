public import DriftKafka

/// Everything `driftwatch monitor` needs to run: the cluster, the topics, the windows and the policy.
public struct MonitorSettings: Sendable {
    /// The cluster (bootstrap servers, security); group ids and client ids are set per client.
    public var kafka: KafkaConfiguration
    public var inferenceTopic = "inference-events"
    /// `nil`: do not read feedback.
    public var feedbackTopic: String? = "feedback-events"
    public var partialsTopic = "driftwatch.partials"
    public var driftTopic = "drift-events"
    public var deadLetterTopic = "driftwatch.dead-letter"
    /// Model-version events whose inline profiles the monitor loads (every process reads all of it from
    /// the beginning); `nil`: profiles from files only.
    public var modelVersionsTopic: String? = "model-versions"
    /// Stage 1's consumer group; stage 2's is this with `.stage2` appended.
    public var groupID = "driftwatch-monitor"
    public var stage1: Stage1Configuration
    public var policy = MonitorPolicy()
    /// How long stage 2 waits for a silent partition before evaluating a window without it (ms).
    public var completionTimeout: Int64 = 30_000
    /// How often idle partitions' watermarks and stage 2's timeouts are checked.
    public var tickInterval: Duration = .milliseconds(200)
    /// Partitions for the internal topics the monitor creates when they are missing.
    public var topicPartitions: Int32 = 6
    /// Whether to train the domain classifier per window.
    public var domainClassifier = true

    public init(kafka: KafkaConfiguration, window: WindowSpec) {
        self.kafka = kafka
        stage1 = Stage1Configuration(window: window)
    }
}

/// What the monitor has done so far (for logs, `/api` and tests).
public struct MonitorStatus: Sendable, Equatable {
    public var stage1 = Stage1Counters()
    public var messagesConsumed: UInt64 = 0
    public var partialsProduced: UInt64 = 0
    /// Records stage 2 read from the partials topic.
    public var partialRecordsConsumed: UInt64 = 0
    public var deadLettersProduced: UInt64 = 0
    public var driftEventsProduced: UInt64 = 0
    public var corruptPartials: UInt64 = 0
    public var latePartials: UInt64 = 0
    /// Partials dropped as duplicates of one already merged (same window and partition).
    public var duplicatePartials: UInt64 = 0
    public var timedOutWindows: UInt64 = 0
    public var assignedPartitions: [SourcePartition] = []
    /// Profiles loaded from model-version events, and model-version events that could not give one.
    public var profilesFromEvents: UInt64 = 0
    public var invalidModelVersionEvents: UInt64 = 0
    public init() {}
}
