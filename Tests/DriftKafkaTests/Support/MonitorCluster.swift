import DriftContracts
import DriftJSON
import DriftKafka
import Foundation
import Testing

/// A `driftwatch monitor` (or another long-running `driftwatch` command) child process whose output goes to
/// files, for tests that kill, stop and restart workers.
final class MonitorProcess: @unchecked Sendable {
    let process = Process()
    let name: String
    private let stderrFile: URL

    init(_ name: String, binary: URL, arguments: [String], directory: URL, command: String = "monitor", environment: [String: String] = [:]) throws {
        self.name = name
        stderrFile = directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).err")
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = binary
        process.arguments = [command] + arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    /// What it logged so far.
    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits until stage 1 has been given partitions.
    func waitForAssignment(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, process.isRunning {
            if stderr.contains("rebalance=assigned(inference-events") { return true } // see waitForLog
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Waits until the worker has logged a line containing `text`.
    func waitForLog(_ text: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, process.isRunning {
            if stderr.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// SIGKILL: no shutdown, no last checkpoint, no leaving the group.
    func crash() async {
        kill(process.processIdentifier, SIGKILL)
        _ = await ExternalProcess.waitForExit(process, timeout: .seconds(10))
    }

    /// SIGTERM: an orderly stop (checkpoint and hand over); waits for the exit.
    func stop(timeout: Duration = .seconds(60)) async -> Int32? {
        process.terminate()
        guard await ExternalProcess.waitForExit(process, timeout: timeout) else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// One published drift event, as the accounting needs it.
struct PublishedWindow: Equatable {
    var eventID: String
    var start: Int64
    var count: Int
}

/// Reads every drift event from the beginning of the drift topic, in this process, without a group.
final class DriftTopicReader: @unchecked Sendable {
    private let consumer: KafkaConsumer
    private let collected = NSLock()
    private var windows: [PublishedWindow] = []
    private var unreadable = 0
    private var task: Task<Void, Never>?

    init(bootstrapServers: String, topic: String = "drift-events", partitions: Int32) throws {
        var configuration = KafkaConfiguration(bootstrapServers: bootstrapServers)
        configuration.properties["log_level"] = "3"
        consumer = try KafkaConsumer(configuration: configuration, assignment: (0..<partitions).map {
            KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning)
        })
        task = Task { [consumer] in
            for await batch in consumer.batches {
                for message in batch { self.record(message.value) }
            }
        }
    }

    private func record(_ bytes: [UInt8]) {
        let parsed = try? JSONValue.parse(bytes)
        collected.lock()
        defer { collected.unlock() }
        guard let parsed, let id = parsed["event_id"]?.stringValue, let start = parsed["window"]?["start"]?.stringValue.flatMap(EventTimestamp.parse),
              let count = parsed["window"]?["count"]?.intValue else {
            unreadable += 1
            return
        }
        windows.append(PublishedWindow(eventID: id, start: start, count: count))
    }

    var published: [PublishedWindow] {
        collected.lock()
        defer { collected.unlock() }
        return windows
    }

    var unreadableRecords: Int {
        collected.lock()
        defer { collected.unlock() }
        return unreadable
    }

    /// Waits until `windows` distinct windows are published (or `timeout`), then `settle` more for late
    /// duplicates.
    func waitFor(windows expected: Int, timeout: Duration, settle: Duration = .seconds(4)) async {
        let deadline = ContinuousClock.now + timeout
        while Set(published.map(\.start)).count < expected, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(200))
        }
        try? await Task.sleep(for: settle)
    }

    func close() async {
        await consumer.close()
        task?.cancel()
    }
}

/// The exact accounting the durability tests demand of a stream of `windows` windows of `perWindow`
/// events each: every window published once, with every event counted once.
enum WindowAccounting {
    static func check(_ published: [PublishedWindow], windows: Int, perWindow: Int, windowMilliseconds: Int64, _ context: String) {
        let ids = published.map(\.eventID)
        #expect(Set(ids).count == ids.count, "\(context): drift events published twice: \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        let starts = Set(published.map(\.start)).sorted()
        #expect(starts.count == windows, "\(context): \(starts.count) windows published, \(windows) expected")
        if let first = starts.first {
            #expect(starts == (0..<Int64(starts.count)).map { first + $0 * windowMilliseconds }, "\(context): a window is missing between \(starts)")
        }
        let wrong = published.filter { $0.count != perWindow }
        #expect(wrong.isEmpty, "\(context): windows with the wrong count: \(wrong.map { "\($0.start): \($0.count)" })")
        #expect(published.reduce(0) { $0 + $1.count } == windows * perWindow, "\(context): events counted")
    }
}
