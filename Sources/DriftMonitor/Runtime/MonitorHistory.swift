/// The recent drift events per model, for the HTTP API (`/api/models`, `/api/models/{id}/windows`): the
/// last ``capacity`` per model, newest last. Pure and bounded.
public struct MonitorHistory: Sendable {
    public let capacity: Int
    private var events: [String: [DriftEvent]] = [:]

    /// A model as `/api/models` lists it.
    public struct ModelSummary: Sendable, Equatable {
        public var modelID: String
        /// Versions seen in the retained windows, in order of their latest window.
        public var versions: [String]
        public var severity: Severity
        public var latestWindowEnd: Int64
        public var windows: Int
        public var topFeatures: [String]
    }

    public init(capacity: Int = 200) {
        self.capacity = max(1, capacity)
    }

    public mutating func record(_ event: DriftEvent) {
        // In place: a copy taken out of the dictionary would copy the whole list on append.
        events[event.modelID, default: []].append(event)
        if let count = events[event.modelID]?.count, count > capacity { events[event.modelID]?.removeFirst(count - capacity) }
    }

    /// Every model with retained windows, by id.
    public var models: [ModelSummary] {
        events.keys.sorted().compactMap { id in
            guard let list = events[id], let latest = list.last else { return nil }
            var versions: [String] = []
            for event in list.reversed() where !versions.contains(event.modelVersion) { versions.append(event.modelVersion) }
            return ModelSummary(
                modelID: id, versions: versions.reversed(), severity: latest.severity, latestWindowEnd: latest.window.end, windows: list.count,
                topFeatures: latest.topFeatures)
        }
    }

    /// The model's retained windows, oldest first: at most `limit` (the newest), optionally of one version.
    public func windows(of modelID: String, version: String? = nil, limit: Int? = nil) -> [DriftEvent]? {
        guard let list = events[modelID] else { return nil }
        let matching = version.map { wanted in list.filter { $0.modelVersion == wanted } } ?? list
        guard let limit else { return matching }
        return Array(matching.suffix(max(0, limit)))
    }
}
