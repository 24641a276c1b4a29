public import DriftJSON
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Mirrors a registry into an MLflow tracking server through its REST API (2.0): each version becomes a
/// run (in the experiment `driftwatch/<model>`) with its metrics, parameters, tags and artifacts, and a
/// version of the registered model `<model>`, tagged with its Driftwatch version and status; the serving
/// version carries the alias `champion`.
public struct MLflowMirror: RegistryMirror {
    /// The server, e.g. `http://127.0.0.1:5000`.
    public let trackingURI: String
    /// Seconds a request may take.
    public var timeout: Double = 30

    public init(trackingURI: String) {
        self.trackingURI = trackingURI.hasSuffix("/") ? String(trackingURI.dropLast()) : trackingURI
    }

    /// Why a call to the server failed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func registered(_ record: VersionRecord, artifacts: [String]) throws {
        try ensureRegisteredModel(record.modelID)
        let experiment = try experimentID("driftwatch/\(record.modelID)")
        let created = try call("POST", "runs/create", .object([
            ("experiment_id", .string(experiment)), ("start_time", .int(Int(record.createdAt))),
            ("run_name", .string("\(record.modelID)-v\(record.version)")),
            ("tags", .array([tag("driftwatch.run_id", record.runID), tag("driftwatch.model_id", record.modelID), tag("driftwatch.version", record.version)])),
        ]))
        guard let runID = created["run"]?["info"]?["run_id"]?.stringValue else { throw Failure(description: "runs/create answered without a run id") }
        var parameters: [JSONValue] = [
            param("target", record.target), param("trigger", record.trigger), param("training_rows", String(record.trainingRows)),
            param("parent_version", record.parentVersion ?? "none"), param("features", String(record.features.count)),
            param("classes", record.classes.joined(separator: ",")),
        ]
        if let validation = record.crossValidation { parameters.append(param("cv_folds", String(validation.folds))) }
        let metrics = record.metrics.filter { $0.1.isFinite }.map { name, value in
            JSONValue.object([("key", .string(name)), ("value", .number(value)), ("timestamp", .int(Int(record.createdAt))), ("step", .int(0))])
        }
        _ = try call("POST", "runs/log-batch", .object([
            ("run_id", .string(runID)), ("metrics", .array(metrics)), ("params", .array(parameters)),
            ("tags", .array([tag("driftwatch.trigger_detail", String((record.triggerDetail ?? "").prefix(4_000)))])),
        ]))
        for path in artifacts {
            try upload(path, to: "\(experiment)/\(runID)/artifacts/model/\(URL(fileURLWithPath: path).lastPathComponent)")
        }
        _ = try call("POST", "runs/update", .object([("run_id", .string(runID)), ("status", .string("FINISHED")), ("end_time", .int(Int(record.createdAt)))]))
        _ = try call("POST", "model-versions/create", .object([
            ("name", .string(record.modelID)), ("source", .string("mlflow-artifacts:/\(experiment)/\(runID)/artifacts/model")),
            ("run_id", .string(runID)), ("description", .string("Driftwatch version \(record.version) (\(record.trigger))")),
            ("tags", .array([tag("driftwatch.version", record.version), tag("driftwatch.status", "registered")])),
        ]))
    }

    public func changed(_ record: VersionRecord, event: JSONValue) throws {
        guard let status = event["status"]?.stringValue else { return }
        guard let version = try mlflowVersion(record.modelID, driftwatchVersion: record.version) else {
            throw Failure(description: "\(record.modelID) version \(record.version) is not in MLflow")
        }
        _ = try call("POST", "model-versions/set-tag", .object([
            ("name", .string(record.modelID)), ("version", .string(version)), ("key", .string("driftwatch.status")), ("value", .string(status)),
        ]))
        if status == "champion" {
            _ = try call("POST", "registered-models/alias", .object([
                ("name", .string(record.modelID)), ("alias", .string("champion")), ("version", .string(version)),
            ]))
        }
    }

    /// The MLflow version number of a Driftwatch version (found by its tag).
    public func mlflowVersion(_ model: String, driftwatchVersion: String) throws -> String? {
        let found = try call("GET", "model-versions/search?filter=\(percent("name='\(model)'"))&max_results=1000", nil)
        for version in found["model_versions"]?.arrayValue ?? [] {
            let tags = version["tags"]?.arrayValue ?? []
            if tags.contains(where: { $0["key"]?.stringValue == "driftwatch.version" && $0["value"]?.stringValue == driftwatchVersion }) {
                return version["version"]?.stringValue
            }
        }
        return nil
    }

    /// The MLflow version the `champion` alias points to.
    public func champion(_ model: String) throws -> String? {
        let answer = try call("GET", "registered-models/alias?name=\(percent(model))&alias=champion", nil)
        return answer["model_version"]?["version"]?.stringValue
    }

    // MARK: - REST

    private func ensureRegisteredModel(_ name: String) throws {
        do {
            _ = try call("POST", "registered-models/create", .object([("name", .string(name)), ("description", .string("Registered by Driftwatch"))]))
        } catch let failure as Failure where failure.description.contains("RESOURCE_ALREADY_EXISTS") {
            return
        }
    }

    private func experimentID(_ name: String) throws -> String {
        if let found = try? call("GET", "experiments/get-by-name?experiment_name=\(percent(name))", nil),
           let id = found["experiment"]?["experiment_id"]?.stringValue {
            return id
        }
        let created = try call("POST", "experiments/create", .object([("name", .string(name))]))
        guard let id = created["experiment_id"]?.stringValue else { throw Failure(description: "experiments/create answered without an id") }
        return id
    }

    private func tag(_ key: String, _ value: String) -> JSONValue { .object([("key", .string(key)), ("value", .string(value))]) }
    private func param(_ key: String, _ value: String) -> JSONValue { .object([("key", .string(key)), ("value", .string(String(value.prefix(6_000))))]) }

    private func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    private func upload(_ path: String, to artifact: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
        let segments = artifact.split(separator: "/").map { percent(String($0)) }.joined(separator: "/")
        _ = try send("PUT", "\(trackingURI)/api/2.0/mlflow-artifacts/artifacts/\(segments)", body: data, contentType: "application/octet-stream")
    }

    private func call(_ method: String, _ endpoint: String, _ body: JSONValue?) throws -> JSONValue {
        let data = try send(method, "\(trackingURI)/api/2.0/mlflow/\(endpoint)", body: body.map { Data($0.serialized().utf8) }, contentType: "application/json")
        guard !data.isEmpty else { return .object([]) }
        do { return try JSONValue.parse([UInt8](data)) } catch { throw Failure(description: "\(endpoint): the answer is not JSON") }
    }

    private func send(_ method: String, _ address: String, body: Data?, contentType: String) throws -> Data {
        guard let url = URL(string: address) else { throw Failure(description: "bad URL \(address)") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = box.get()
        if let error { throw Failure(description: "\(method) \(address): \(error.localizedDescription)") }
        guard let status, (200..<300).contains(status) else {
            throw Failure(description: "\(method) \(address): HTTP \(status ?? 0) \(String(decoding: data ?? Data(), as: UTF8.self).prefix(500))")
        }
        return data ?? Data()
    }
}

/// A response handed from URLSession's queue to the waiting caller.
private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var status: Int?
    private var error: (any Error)?

    func set(data: Data?, status: Int?, error: (any Error)?) {
        lock.withLock {
            self.data = data
            self.status = status
            self.error = error
        }
    }

    func get() -> (Data?, Int?, (any Error)?) { lock.withLock { (data, status, error) } }
}
