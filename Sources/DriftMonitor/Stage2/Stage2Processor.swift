/// Stage 2 of the monitor (pure): merges the partials of each (model version, window), evaluates complete
/// windows against their profiles, and applies each model version's hysteresis, so each window yields
/// exactly one ``DriftEvent``.
public struct Stage2Processor: Sendable {
    public internal(set) var merger: WindowMerger
    public var evaluator: WindowEvaluator
    var profiles: [ProfileKey: ReferenceProfile] = [:]
    var hysteresis: [ProfileKey: Hysteresis] = [:]
    /// Partials for a model version without a profile here (dropped), and records that could not be read.
    public internal(set) var unknownProfiles: UInt64 = 0
    public internal(set) var corruptRecords: UInt64 = 0
    /// Ids of drift events already on the drift topic (read back after a restore): evaluating such a
    /// window again publishes nothing.
    public var published: Set<String> = []
    /// Evaluations not published because their event was already on the drift topic.
    public internal(set) var suppressedDuplicates: UInt64 = 0
    /// Drift events produced.
    public internal(set) var evaluatedWindows: UInt64 = 0

    public init(policy: MonitorPolicy, completionTimeout: Int64, profiles: [ReferenceProfile]) {
        merger = WindowMerger(completionTimeout: completionTimeout)
        evaluator = WindowEvaluator(policy: policy)
        for profile in profiles { add(profile) }
    }

    /// Loads (or replaces) a model version's profile.
    public mutating func add(_ profile: ReferenceProfile) {
        profiles[ProfileKey(model: profile.modelID, version: profile.modelVersion)] = profile
    }

    /// Takes one record from `driftwatch.partials` (already decoded).
    public mutating func add(_ record: PartialsRecord, now: Int64) {
        switch record {
        case .progress(let progress):
            merger.add(progress)
        case .partial(let partial):
            do {
                try merger.add(partial, now: now)
            } catch {
                corruptRecords += 1
            }
        }
    }

    /// Takes the bytes of one record; unreadable records are counted and skipped.
    public mutating func add(serialized bytes: [UInt8], now: Int64) {
        do throws(PartialError) {
            add(try PartialsRecord(serialized: bytes), now: now)
        } catch {
            corruptRecords += 1
        }
    }

    /// Evaluates the windows that are complete.
    public mutating func ready(now: Int64) -> [DriftEvent] {
        evaluate(merger.ready(now: now), now: now)
    }

    /// Evaluates every pending window (on shutdown).
    public mutating func flush(now: Int64) -> [DriftEvent] {
        evaluate(merger.flush(), now: now)
    }

    private mutating func evaluate(_ windows: [WindowPartial], now: Int64) -> [DriftEvent] {
        windows.compactMap { window in
            let key = ProfileKey(model: window.modelID, version: window.modelVersion)
            guard let profile = profiles[key] else {
                unknownProfiles += 1
                return nil
            }
            var event = evaluator.evaluate(window, profile: profile, now: now)
            var state = hysteresis[key] ?? Hysteresis(raiseAfter: evaluator.policy.raiseAfter, clearAfter: evaluator.policy.clearAfter)
            WindowEvaluator.apply(&state, to: &event)
            hysteresis[key] = state
            evaluatedWindows += 1
            // Evaluated again after a restart, but published before it: the hysteresis moves on, the event
            // is not published twice.
            if published.remove(event.eventID) != nil {
                suppressedDuplicates += 1
                return nil
            }
            return event
        }
    }
}
