/// The recent drift events per model, for the HTTP API (`/api/models`, `/api/models/{id}/windows`): the
/// last ``capacity`` per model, newest last. Pure and bounded.
///
/// Each event is kept as its published JSON, compressed (``DeflatedText``), beside the few fields the model
/// summary needs: a drift event of a 25-feature model is ~30 KB of JSON, so 20 models × 200 events held as
/// they were took ~120 MB that filled over the first 33 minutes of 10-second windows (the soak saw it as
/// memory growth); compressed they take about a third.
public struct MonitorHistory: Sendable {
    public let capacity: Int
    private var events: [String: [Entry]] = [:]

    private struct Entry: Sendable {
        var version: String
        var severity: Severity
        var windowEnd: Int64
        var topFeatures: [String]
        var json: DeflatedText
    }

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

    /// Events kept per model unless told otherwise: 200 windows (33 minutes of 10-second windows). The soak's
    /// warm-up waits for them to fill (`scripts/soak`'s `HISTORY_CAPACITY`, checked by a test).
    public static let defaultCapacity = 200

    public init(capacity: Int = MonitorHistory.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// Keeps `event`, whose published form (``DriftEvent/json()``) is `json`.
    public mutating func record(_ event: DriftEvent, json: String) {
        let entry = Entry(
            version: event.modelVersion, severity: event.severity, windowEnd: event.window.end, topFeatures: event.topFeatures,
            json: DeflatedText(json))
        // In place: a copy taken out of the dictionary would copy the whole list on append.
        events[event.modelID, default: []].append(entry)
        if let count = events[event.modelID]?.count, count > capacity { events[event.modelID]?.removeFirst(count - capacity) }
    }

    /// Bytes of compressed JSON held (summed when asked: a scrape, not every event).
    public var storedBytes: Int {
        events.values.reduce(0) { total, list in list.reduce(total) { $0 + $1.json.storedBytes } }
    }

    /// Every model with retained windows, by id.
    public var models: [ModelSummary] {
        events.keys.sorted().compactMap { id in
            guard let list = events[id], let latest = list.last else { return nil }
            var versions: [String] = []
            for entry in list.reversed() where !versions.contains(entry.version) { versions.append(entry.version) }
            return ModelSummary(
                modelID: id, versions: versions.reversed(), severity: latest.severity, latestWindowEnd: latest.windowEnd, windows: list.count,
                topFeatures: latest.topFeatures)
        }
    }

    /// The model's retained windows as published (drift-event JSON), oldest first: at most `limit` (the newest),
    /// optionally of one version.
    public func windows(of modelID: String, version: String? = nil, limit: Int? = nil) -> [String]? {
        guard let list = events[modelID] else { return nil }
        let matching = version.map { wanted in list.filter { $0.version == wanted } } ?? list
        let kept = limit.map { matching.suffix(max(0, $0)) } ?? matching[...]
        return kept.map(\.json.text)
    }
}
