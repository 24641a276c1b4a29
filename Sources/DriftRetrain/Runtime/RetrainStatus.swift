/// One logged decision of the trigger policy (or a training's end).
public struct RetrainDecisionLog: Sendable, Equatable {
    /// When (ms since the epoch).
    public var at: Int64
    public var model: String
    /// `train`, `skip`, `promoted`, `rejected`, `pending`, `approved`, `expired`, `rolled_back`, `failed`.
    public var action: String
    public var trigger: String
    public var reason: String
}

/// A model as the worker tracks it.
public struct RetrainModelStatus: Sendable, Equatable {
    public var model: String
    public var champion: String?
    public var training: Bool
    public var lastTrainingStarted: Int64?
    public var newLabelled: Int
    /// The version being watched for a rollback, if any.
    public var watching: String?
}

/// The worker's counters.
public struct RetrainStatus: Sendable, Equatable {
    public var inferenceConsumed: UInt64 = 0
    public var feedbackConsumed: UInt64 = 0
    public var driftEventsConsumed: UInt64 = 0
    public var labelledRows: UInt64 = 0
    public var rejectedEvents: UInt64 = 0
    public var trainings: UInt64 = 0
    public var promotions: UInt64 = 0
    public var rejections: UInt64 = 0
    public var rollbacks: UInt64 = 0
    public var failures: UInt64 = 0
    /// Challengers that waited for approval, and what became of them.
    public var pendingApprovals: UInt64 = 0
    public var approvals: UInt64 = 0
    public var approvalRejections: UInt64 = 0
    public var approvalExpiries: UInt64 = 0
    /// The challengers awaiting approval now.
    public var pending: [Approvals.Pending] = []
    public var models: [RetrainModelStatus] = []
    public var decisions: [RetrainDecisionLog] = []
}
