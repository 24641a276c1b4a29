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
    /// Label requests (active learning; see ``Stage1Configuration/labelRequests``).
    public var labelRequestsTopic = "label-requests"
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
    /// Checkpointing (the default): both stages write their state to changelog topics and commit input
    /// offsets only after it is durable; a partition's next owner restores it, and a stopping worker hands
    /// its windows over instead of closing them. Off: offsets are committed after each batch (at least
    /// once) and a stopping worker closes its windows.
    public var checkpointing = true
    /// Whether offsets covered by checkpoints are committed to the group (for lag tools and autoscalers).
    /// Partitions resume from their checkpoints either way.
    public var commitOffsets = true
    /// How often each stage checkpoints its changed partitions.
    public var checkpointInterval: Duration = .seconds(1)
    /// The longest a checkpoint round is held back because the last one was large (see ``CheckpointPacer``).
    public var checkpointMaximumInterval: Duration = .seconds(60)
    /// Checkpoint bytes allowed per byte of input consumed, for rounds larger than 1 MiB (see ``CheckpointPacer``).
    public var checkpointWriteShare = 0.25
    /// Stage 1's and stage 2's changelog topics.
    public var stage1ChangelogTopic = "driftwatch.stage1-changelog"
    public var stage2ChangelogTopic = "driftwatch.stage2-changelog"
    /// Drift events read back from the end of each drift-topic partition when stage 2 takes partitions
    /// over, so that a window published before a crash is not published again.
    public var publishedReadBack: Int64 = 5_000

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
    /// Payload bytes stage 1 and stage 2 read (for checkpoint pacing).
    public var stage1BytesConsumed: UInt64 = 0
    public var stage2BytesConsumed: UInt64 = 0
    public var deadLettersProduced: UInt64 = 0
    public var labelRequestsProduced: UInt64 = 0
    public var driftEventsProduced: UInt64 = 0
    public var corruptPartials: UInt64 = 0
    public var latePartials: UInt64 = 0
    /// Partials dropped as duplicates of one already merged (same window and partition).
    public var duplicatePartials: UInt64 = 0
    public var timedOutWindows: UInt64 = 0
    public var assignedPartitions: [SourcePartition] = []
    /// Profiles loaded from model-version events, and model-version events that could not give one.
    public var profilesFromEvents: UInt64 = 0
    /// Profiles refused because a limit was reached, by limit (`models`, `features_per_model`, `categories_per_feature`).
    public var limitsReached: [String: UInt64] = [:]
    public var invalidModelVersionEvents: UInt64 = 0
    /// This worker (host and process id).
    public var worker = ""
    /// The partitions this worker owns, per stage, with their checkpoints.
    public var partitions: [PartitionStatus] = []
    /// Checkpoint records written (and their bytes), checkpoints that could not be written, partitions
    /// restored from a checkpoint, and checkpoint records refused as damaged.
    public var checkpointsWritten: UInt64 = 0
    /// Messages of partitions this worker did not own (lost or revoked), dropped unprocessed.
    public var unownedMessagesDropped: UInt64 = 0
    /// Restore-merge failures already logged.
    public var restoreMergeFailuresReported: UInt64 = 0

    /// The restore-merge failures of `total` not logged yet; they count as logged from now on.
    mutating func takeUnreportedRestoreFailures(_ total: UInt64) -> UInt64 {
        defer { restoreMergeFailuresReported = max(restoreMergeFailuresReported, total) }
        return total > restoreMergeFailuresReported ? total - restoreMergeFailuresReported : 0
    }
    /// The stages ("stage 1", "stage 2") that have written a checkpoint since the start.
    public var checkpointedStages: Set<String> = []
    public var checkpointBytes: UInt64 = 0
    public var checkpointFailures: UInt64 = 0
    public var checkpointsRestored: UInt64 = 0
    public var checkpointsRefused: UInt64 = 0
    /// Input records that vanished before either stage read them (retention, offset resets).
    public var recordsLost: UInt64 = 0
    /// Evaluations not published again because their drift event was already on the topic.
    public var suppressedDriftEvents: UInt64 = 0
    public init() {}
}

/// One partition a worker owns, in one stage: how far it has processed, and its last checkpoint.
public struct PartitionStatus: Sendable, Equatable {
    public enum Stage: String, Sendable {
        case stage1, stage2
    }

    public var stage: Stage
    public var topic: String
    public var partition: Int32
    /// The next offset to process (`nil` before the first batch).
    public var nextOffset: Int64?
    /// Messages behind the partition's end (stage 1, refreshed every few seconds).
    public var lag: Int64?
    /// The offset the last checkpoint covers, when it was written (ms), its size, and the windows in it.
    public var checkpointOffset: Int64?
    public var checkpointAt: Int64?
    public var stateBytes: Int?
    public var openWindows: Int?
    /// The offset of the checkpoint the partition was restored from on assignment.
    public var restoredFromOffset: Int64?
    /// Stage 2: the source partitions its oldest waiting window still waits for, with how far each has
    /// closed its windows (`topic/partition@closed-through ms`).
    public var waitingFor: [String] = []
    /// Damaged checkpoint records found on assignment (never used), with the reason.
    public var refusedCheckpoints: [String] = []

    public init(stage: Stage, topic: String, partition: Int32) {
        self.stage = stage
        self.topic = topic
        self.partition = partition
    }

    var key: String { "\(stage.rawValue)|\(topic)|\(partition)" }
}
