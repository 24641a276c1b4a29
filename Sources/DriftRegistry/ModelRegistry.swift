import DriftContracts
public import DriftJSON
public import DriftLearn
public import DriftMonitor
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Versioned models in a local directory:
///
/// ```
/// DIR/<model-id>/versions/<n>/model.json     the classifier (pipeline and weights, DriftLearn's format)
///                            /profile.json   the reference profile of its training data
///                            /version.json   run id, UTC time, parent, trigger, data, metrics, cross-validation
/// DIR/<model-id>/champion.json               the serving version
/// DIR/<model-id>/events.jsonl                every model-version event, in order (the audit trail)
/// ```
///
/// A version is written into a staging directory and renamed into place, so a crash mid-registration
/// leaves no half-registered version (staging leftovers are ignored and swept). Changes to a model hold
/// an exclusive `flock` on its `.lock` file, so two processes never assign the same version number.
public struct ModelRegistry: Sendable {
    /// The registry's root directory.
    public let directory: String

    /// Where changes are also recorded (an MLflow server), if anywhere.
    public var mirror: (any RegistryMirror)?
    /// Told about every mirror failure (the registration itself has succeeded); they are also appended to
    /// `<model>/mirror-failures.log`.
    public var onMirrorFailure: (@Sendable (String) -> Void)?

    /// A registry rooted at `directory` (created on first registration), mirrored to `mirror` if given.
    public init(directory: String, mirror: (any RegistryMirror)? = nil) {
        self.directory = directory
        self.mirror = mirror
    }

    /// A model id usable as a directory name.
    public static func validate(modelID: String) throws(RegistryError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !modelID.isEmpty, modelID.count <= 200, !modelID.hasPrefix("."), modelID.allSatisfy(allowed.contains) else {
            throw .invalidModelID(modelID)
        }
    }

    /// The registered models, sorted.
    public func models() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { (try? Self.validate(modelID: $0)) != nil && FileManager.default.fileExists(atPath: path($0, "versions")) }.sorted()
    }

    /// A model's versions, oldest first.
    public func versions(_ modelID: String) throws(RegistryError) -> [String] {
        try Self.validate(modelID: modelID)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(modelID, "versions"))) ?? []
        return names.compactMap { Int($0) }.sorted().map(String.init)
    }

    /// The model's serving version, if one was promoted.
    public func champion(_ modelID: String) throws(RegistryError) -> String? {
        try Self.validate(modelID: modelID)
        let file = path(modelID, "champion.json")
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        guard let version = try readJSON(file)["version"]?.stringValue else { throw .damaged(path: file, reason: "no version") }
        return version
    }

    /// The profile file of every model's champion (models without one are skipped), by model id order.
    public func championProfilePaths() throws(RegistryError) -> [String] {
        var paths: [String] = []
        for model in models() {
            guard let champion = try champion(model) else { continue }
            paths.append(try profilePath(model, champion))
        }
        return paths
    }

    /// A version's record.
    public func record(_ modelID: String, _ version: String) throws(RegistryError) -> VersionRecord {
        let file = try versionPath(modelID, version, "version.json")
        return try VersionRecord(json: try readJSON(file), path: file)
    }

    /// A version's classifier.
    public func classifier(_ modelID: String, _ version: String) throws(RegistryError) -> TrainedClassifier {
        try model(modelID, version) { document throws in try TrainedClassifier(json: document) }
    }

    /// A version's `model.json` read by `parse`; any failure is ``RegistryError/damaged(path:reason:)`` (or not found).
    private func model<Model>(_ modelID: String, _ version: String, _ parse: (JSONValue) throws -> Model) throws(RegistryError) -> Model {
        let file = try versionPath(modelID, version, "model.json")
        do { return try parse(try readJSON(file)) } catch let error as RegistryError { throw error } catch {
            throw .damaged(path: file, reason: "\(error)")
        }
    }

    /// Whether a version's model is a regressor (`driftwatch.regressor`) rather than a classifier.
    public func isRegressor(_ modelID: String, _ version: String) throws(RegistryError) -> Bool {
        try model(modelID, version) { TrainedRegressor.isRegressor($0) }
    }

    /// A version's regressor.
    public func regressor(_ modelID: String, _ version: String) throws(RegistryError) -> TrainedRegressor {
        try model(modelID, version) { document throws in try TrainedRegressor(json: document) }
    }

    /// A version's reference profile file.
    public func profilePath(_ modelID: String, _ version: String) throws(RegistryError) -> String {
        try versionPath(modelID, version, "profile.json")
    }

    /// A version's reference profile.
    public func profile(_ modelID: String, _ version: String) throws(RegistryError) -> ReferenceProfile {
        let file = try profilePath(modelID, version)
        do { return try ReferenceProfile(json: try readBytes(file), path: file) } catch let error as ProfileError {
            throw .damaged(path: file, reason: "\(error)")
        } catch let error as RegistryError { throw error } catch { throw .damaged(path: file, reason: "\(error)") }
    }

    /// Registers a new version: assigns the next number, writes the classifier, its profile (rebuilt
    /// for that version by `profile`) and its record atomically, and returns the record as stored.
    public func register(
        _ classifier: TrainedClassifier, record draft: VersionRecord, profile: (String) throws -> ReferenceProfile
    ) throws -> VersionRecord {
        try register(model: classifier.json(), record: draft, profile: profile)
    }

    /// Registers a regressor's new version (as ``register(_:record:profile:)-classifier``).
    public func register(
        _ regressor: TrainedRegressor, record draft: VersionRecord, profile: (String) throws -> ReferenceProfile
    ) throws -> VersionRecord {
        try register(model: regressor.json(), record: draft, profile: profile)
    }

    private func register(model document: JSONValue, record draft: VersionRecord, profile: (String) throws -> ReferenceProfile) throws -> VersionRecord {
        try Self.validate(modelID: draft.modelID)
        return try withLock(draft.modelID) { () throws -> VersionRecord in
            let versions = try self.versions(draft.modelID)
            let number = (versions.compactMap { Int($0) }.max() ?? 0) + 1
            var record = draft
            record.version = String(number)
            let built = try profile(record.version)
            let staging = path(draft.modelID, "versions", ".staging-\(record.runID)")
            try createDirectory(staging)
            try write(document.serialized(pretty: false), to: staging + "/model.json")
            try write(String(decoding: built.json(), as: UTF8.self), to: staging + "/profile.json")
            try write(record.json().serialized(pretty: true), to: staging + "/version.json")
            let final = path(draft.modelID, "versions", record.version)
            guard rename(staging, final) == 0 else { throw RegistryError.io(path: final, reason: String(cString: strerror(errno))) }
            sweepStaging(draft.modelID)
            mirrored(draft.modelID) { mirror in
                try mirror.registered(record, artifacts: ["model.json", "profile.json", "version.json"].map { final + "/" + $0 })
            }
            return record
        }
    }

    /// Runs `body` against the mirror, if any; a failure is reported and logged, never thrown.
    private func mirrored(_ modelID: String, _ body: (any RegistryMirror) throws -> Void) {
        guard let mirror else { return }
        do {
            try body(mirror)
        } catch {
            let message = "mirror \(type(of: mirror)): \(error)"
            onMirrorFailure?(message)
            let line = Data((EventTimestamp.format(Int64(Date().timeIntervalSince1970 * 1_000)) + " " + message + "\n").utf8)
            let file = path(modelID, "mirror-failures.log")
            if !FileManager.default.fileExists(atPath: file) { _ = FileManager.default.createFile(atPath: file, contents: nil) }
            if let handle = FileHandle(forWritingAtPath: file) {
                _ = try? handle.seekToEnd()
                try? handle.write(contentsOf: line)
                try? handle.close()
            }
        }
    }

    /// Tells the mirror about an event of one of the model's versions.
    private func mirrorEvent(_ modelID: String, _ event: JSONValue) {
        guard mirror != nil, let version = event["version"]?.stringValue, let record = try? record(modelID, version) else { return }
        mirrored(modelID) { mirror in try mirror.changed(record, event: event) }
    }

    /// Makes `version` the serving one and appends `event` (a model-version event) to the model's history.
    public func promote(_ modelID: String, _ version: String, event: JSONValue, at time: Int64) throws(RegistryError) {
        _ = try record(modelID, version)
        do {
            try withLock(modelID) { () throws in
                let document = JSONValue.object([("version", .string(version)), ("since", .string(EventTimestamp.format(time)))])
                try write(document.serialized(), to: path(modelID, "champion.json"))
                try append(event, modelID)
            }
        } catch let error as RegistryError { throw error } catch { throw .io(path: path(modelID), reason: "\(error)") }
        mirrorEvent(modelID, event)
    }

    /// Appends a model-version event (a rejection, a pending approval, a rollback notice) to the model's history.
    public func log(_ modelID: String, event: JSONValue) throws(RegistryError) {
        try Self.validate(modelID: modelID)
        do {
            try withLock(modelID) { () throws in try append(event, modelID) }
        } catch let error as RegistryError { throw error } catch { throw .io(path: path(modelID), reason: "\(error)") }
        mirrorEvent(modelID, event)
    }

    /// The champion before the current one: the latest promoted version (from the history) other than the
    /// current champion that was not rolled back since.
    public func previousChampion(_ modelID: String) throws(RegistryError) -> String? {
        let current = try champion(modelID)
        var candidates: [String] = []
        for event in try history(modelID) {
            guard let version = event["version"]?.stringValue else { continue }
            switch event["status"]?.stringValue {
            case "champion": candidates.removeAll { $0 == version }; candidates.append(version)
            case "rolled_back": candidates.removeAll { $0 == version }
            default: break
            }
        }
        return candidates.last { $0 != current }
    }

    /// The model's events, oldest first.
    public func history(_ modelID: String) throws(RegistryError) -> [JSONValue] {
        let file = path(modelID, "events.jsonl")
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        let text = String(decoding: try readBytes(file), as: UTF8.self)
        var events: [JSONValue] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            do { events.append(try JSONValue.parse(String(line))) } catch { throw .damaged(path: file, reason: "a line is not JSON") }
        }
        return events
    }

    // MARK: - Files

    func path(_ components: String...) -> String {
        ([directory] + components).joined(separator: "/")
    }

    private func versionPath(_ modelID: String, _ version: String, _ file: String) throws(RegistryError) -> String {
        try Self.validate(modelID: modelID)
        guard let number = Int(version), number > 0 else { throw .notFound("\(modelID) version \(version)") }
        let result = path(modelID, "versions", String(number), file)
        guard FileManager.default.fileExists(atPath: result) else { throw .notFound("\(modelID) version \(version)") }
        return result
    }

    private func append(_ event: JSONValue, _ modelID: String) throws {
        let file = path(modelID, "events.jsonl")
        let line = Data((event.serialized() + "\n").utf8)
        if !FileManager.default.fileExists(atPath: file) { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: file) else { throw RegistryError.io(path: file, reason: "cannot open for appending") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }

    /// Runs `body` holding an exclusive lock on the model (waits at most 30 s for it).
    private func withLock<T>(_ modelID: String, _ body: () throws -> T) throws -> T {
        try createDirectory(path(modelID, "versions"))
        let lockPath = path(modelID, ".lock")
        let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw RegistryError.io(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var waited = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard waited < 3_000 else { throw RegistryError.busy(modelID) }
            usleep(10_000)
            waited += 1
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    private func sweepStaging(_ modelID: String) {
        let folder = path(modelID, "versions")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".staging-") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    private func createDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw RegistryError.io(path: path, reason: "\(error)")
        }
    }

    /// Writes a file durably: a temporary file, flushed, renamed over the target.
    private func write(_ text: String, to file: String) throws {
        let temporary = file + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw RegistryError.io(path: temporary, reason: "cannot write")
        }
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, file) == 0 else { throw RegistryError.io(path: file, reason: String(cString: strerror(errno))) }
    }

    private func readBytes(_ file: String) throws(RegistryError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file) else { throw .notFound(file) }
        return [UInt8](data)
    }

    private func readJSON(_ file: String) throws(RegistryError) -> JSONValue {
        do { return try JSONValue.parse(try readBytes(file)) } catch let error as RegistryError { throw error } catch {
            throw .damaged(path: file, reason: "not JSON: \(error)")
        }
    }
}
