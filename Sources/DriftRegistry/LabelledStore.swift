public import DriftJSON
import Foundation

/// A model's labelled examples on disk, so a restart loses nothing:
///
/// ```
/// DIR/<model-id>/data/recent.jsonl     labelled rows gathered since the last training, appended as they join
/// DIR/<model-id>/data/training.jsonl   the rows the last training used (the "old" data of the next one)
/// ```
///
/// Both are bounded: `recent` keeps the newest ``recentLimit`` rows (compacted when it holds twice as many),
/// `training` the newest ``trainingLimit``. Rewrites go through a temporary file and a rename.
public struct LabelledStore: Sendable {
    /// The registry directory the store lives in.
    public let directory: String
    /// Recent rows kept per model.
    public var recentLimit = 100_000
    /// Training rows kept per model.
    public var trainingLimit = 200_000

    /// Rows per file, counted once per process and kept up to date by this store's writes (the store is its
    /// files' only writer: one retraining worker per registry).
    private let rowCounts = RowCounts()

    /// A store under the registry directory `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Appends rows to a model's recent data.
    public func append(_ rows: [LabelledRow], model: String) throws(RegistryError) {
        guard !rows.isEmpty else { return }
        try ModelRegistry.validate(modelID: model)
        let file = try folder(model) + "/recent.jsonl"
        let text = Self.jsonLines(rows)
        do {
            if !FileManager.default.fileExists(atPath: file) { _ = FileManager.default.createFile(atPath: file, contents: nil) }
            guard let handle = FileHandle(forWritingAtPath: file) else { throw RegistryError.io(path: file, reason: "cannot open for appending") }
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch let error as RegistryError { throw error } catch { throw .io(path: file, reason: "\(error)") }
        if try rowCounts.add(rows.count, to: file, initially: { () throws(RegistryError) in try count(file) }) > 2 * recentLimit {
            try rewrite(file, Array(try read(file).suffix(recentLimit)))
        }
    }

    /// A model's recent rows, oldest first.
    public func recent(model: String) throws(RegistryError) -> [LabelledRow] {
        try read(try folder(model) + "/recent.jsonl")
    }

    /// The rows of a model's last training, oldest first.
    public func training(model: String) throws(RegistryError) -> [LabelledRow] {
        try read(try folder(model) + "/training.jsonl")
    }

    /// Records what a training used: `training` becomes the model's training data; recent rows up to
    /// `through` (ms) are dropped from the recent data (they are in the training data now).
    public func trained(model: String, training rows: [LabelledRow], through: Int64) throws(RegistryError) {
        let base = try folder(model)
        try rewrite(base + "/training.jsonl", Array(rows.suffix(trainingLimit)))
        try rewrite(base + "/recent.jsonl", try read(base + "/recent.jsonl").filter { $0.time > through })
    }

    /// Keeps what a challenger awaiting approval trained on (`data/pending-<version>.jsonl`, the first line
    /// `{"through": ms}`), to become the training data if it is approved (``trained(model:training:through:)``).
    public func savePending(model: String, version: String, training rows: [LabelledRow], through: Int64) throws(RegistryError) {
        try Self.replace(try pendingFile(model, version), with: "{\"through\":\(through)}\n" + Self.jsonLines(rows))
    }

    /// Removes and returns a pending challenger's training rows and the recent rows' time they cover
    /// (`nil` when none were kept).
    public func takePending(model: String, version: String) throws(RegistryError) -> (rows: [LabelledRow], through: Int64)? {
        let file = try pendingFile(model, version)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")),
              let header = try? JSONValue.parse(Array(data[..<newline])), let through = header["through"]?.intValue else {
            throw .damaged(path: file, reason: "no {\"through\": ms} header")
        }
        let rows = try Self.rows(data[(newline + 1)...], file: file)
        unlink(file)
        return (rows, Int64(through))
    }

    /// Drops a pending challenger's training rows (rejected or expired).
    public func dropPending(model: String, version: String) throws(RegistryError) {
        unlink(try pendingFile(model, version))
    }

    private func pendingFile(_ model: String, _ version: String) throws(RegistryError) -> String {
        guard let number = Int(version), number > 0 else { throw .notFound("\(model) version \(version)") }
        return try folder(model) + "/pending-\(number).jsonl"
    }

    /// Replaces a model's training data without touching the recent data (a first version from a file).
    public func setTraining(model: String, rows: [LabelledRow]) throws(RegistryError) {
        try rewrite(try folder(model) + "/training.jsonl", Array(rows.suffix(trainingLimit)))
    }

    // MARK: - Files

    private func folder(_ model: String) throws(RegistryError) -> String {
        try ModelRegistry.validate(modelID: model)
        let path = directory + "/" + model + "/data"
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .io(path: path, reason: "\(error)")
        }
        return path
    }

    private func read(_ file: String) throws(RegistryError) -> [LabelledRow] {
        guard let data = FileManager.default.contents(atPath: file) else { return [] }
        return try Self.rows(data[...], file: file)
    }

    /// The rows of JSON Lines `data` from `file`.
    private static func rows(_ data: Data.SubSequence, file: String) throws(RegistryError) -> [LabelledRow] {
        var rows: [LabelledRow] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            // A torn last line (a crash mid-append) is skipped; anything else damaged is an error.
            guard let value = try? JSONValue.parse(Array(line)), let row = LabelledRow(json: value) else {
                if line.endIndex == data.endIndex { continue }
                throw .damaged(path: file, reason: "a line is not a labelled row")
            }
            rows.append(row)
        }
        return rows
    }

    private func count(_ file: String) throws(RegistryError) -> Int {
        guard let data = FileManager.default.contents(atPath: file) else { return 0 }
        return data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// Rows as JSON Lines, one row per line.
    private static func jsonLines(_ rows: [LabelledRow]) -> String {
        var text = ""
        for row in rows { text += row.json().serialized() + "\n" }
        return text
    }

    private func rewrite(_ file: String, _ rows: [LabelledRow]) throws(RegistryError) {
        try Self.replace(file, with: Self.jsonLines(rows))
        rowCounts.set(rows.count, for: file)
    }

    /// Writes `text` to a temporary file and renames it over `file`.
    private static func replace(_ file: String, with text: String) throws(RegistryError) {
        let temporary = file + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { throw .io(path: temporary, reason: "cannot write") }
        guard rename(temporary, file) == 0 else { throw .io(path: file, reason: "rename failed") }
    }
}

/// Line counts of a store's files, shared by the copies of one `LabelledStore`.
private final class RowCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    /// Adds `added` rows to `file`'s count (counting the file first if it was never counted); the new count.
    func add(_ added: Int, to file: String, initially: () throws(RegistryError) -> Int) throws(RegistryError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let total: Int
        if let known = counts[file] { total = known + added } else { total = try initially() }
        counts[file] = total
        return total
    }

    func set(_ count: Int, for file: String) { lock.withLock { counts[file] = count } }
}
