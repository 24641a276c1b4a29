import ArgumentParser
import DriftJSON
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `driftwatch status`: which worker owns which partition, with lag, state size and last checkpoint, from
/// the `/api/status` of one or more running monitors.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show running monitors' partitions: ownership, lag, state size and last checkpoint.",
        discussion: """
            Asks each monitor's HTTP API (GET /api/status) and prints one line per owned partition and stage, \
            then each worker's checkpoint counters. Give --url once per worker to see a whole group. Exits 1 \
            when a worker cannot be reached, 3 when one reports damaged checkpoint records.
            """
    )

    @Option(name: .customLong("url"), help: "A monitor's HTTP address (repeatable; default http://127.0.0.1:9464).")
    var urls: [String] = []

    @Flag(help: "Print the workers' /api/status documents as one JSON array instead of the table.")
    var json = false

    func run() async throws {
        let targets = urls.isEmpty ? ["http://127.0.0.1:9464"] : urls
        var documents: [(String, JSONValue)] = []
        var unreachable = false
        for target in targets {
            let base = target.hasPrefix("http") ? target : "http://" + target
            guard let url = URL(string: base.hasSuffix("/") ? base + "api/status" : base + "/api/status") else {
                throw ValidationError("--url: '\(target)' is not an address")
            }
            do {
                let (data, _) = try await URLSession.shared.data(from: url)
                documents.append((target, try JSONValue.parse(Array(data))))
            } catch {
                StandardError.emit("driftwatch status: \(target): \(error)\n")
                unreachable = true
            }
        }
        if json {
            StandardOutput.emitLine(JSONValue.array(documents.map(\.1)).serialized())
        } else {
            StandardOutput.emit(Self.table(documents))
        }
        if unreachable { throw ExitCode(1) }
        let refused = documents.reduce(0) { $0 + ($1.1["checkpoints"]?["refused"]?.intValue ?? 0) }
        if refused > 0 { throw ExitCode(3) }
    }

    /// The partitions of every worker, then each worker's counters.
    static func table(_ documents: [(String, JSONValue)]) -> String {
        var rows = [["stage", "partition", "worker", "next offset", "lag", "state", "windows", "checkpoint offset", "checkpoint at", "restored from"]]
        for (target, document) in documents {
            let worker = document["worker"]?.stringValue ?? target
            for partition in document["partitions"]?.arrayValue ?? [] {
                func text(_ key: String) -> String {
                    guard let value = partition[key] else { return "-" }
                    if let number = value.intValue { return String(number) }
                    return value.stringValue ?? "-"
                }
                let bytes = partition["state_bytes"]?.intValue.map { $0 >= 1_024 ? "\($0 / 1_024) KiB" : "\($0) B" } ?? "-"
                rows.append([
                    text("stage"), "\(text("topic"))/\(text("partition"))", worker, text("next_offset"), text("lag"), bytes, text("open_windows"),
                    text("checkpoint_offset"), text("checkpoint_at"), text("restored_from_offset"),
                ])
                let waiting = (partition["waiting_for"]?.arrayValue ?? []).compactMap(\.stringValue)
                if !waiting.isEmpty { rows.append(["", "", "", "waiting for \(waiting.joined(separator: ", "))", "", "", "", "", "", ""]) }
                for reason in partition["refused_checkpoints"]?.arrayValue ?? [] {
                    rows.append(["", "", "", "DAMAGED CHECKPOINT REFUSED: \(reason.stringValue ?? "?")", "", "", "", "", "", ""])
                }
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var output = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
        for (target, document) in documents {
            let checkpoints = document["checkpoints"]
            func count(_ key: String) -> Int { checkpoints?[key]?.intValue ?? 0 }
            output += "\(document["worker"]?.stringValue ?? target) (\(target)): ready=\(document["ready"]?.boolValue ?? false) "
                + "checkpointing=\(document["checkpointing"]?.boolValue ?? false) checkpoints written=\(count("written")) "
                + "failures=\(count("failures")) restored=\(count("restored")) refused=\(count("refused")) "
                + "drift_events=\(document["drift_events_produced"]?.intValue ?? 0)\n"
        }
        return output
    }
}
