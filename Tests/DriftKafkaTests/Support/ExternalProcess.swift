import Foundation
import Testing

/// Child processes for cross-process tests: the real `driftwatch` binary and Python, each bounded in time.
enum ExternalProcess {
    /// The `driftwatch` binary `swift test` built next to the test bundle.
    static func driftwatchBinary() throws -> URL {
        let bundle = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("driftwatch")
        try #require(FileManager.default.isExecutableFile(atPath: bundle.path), "no driftwatch binary at \(bundle.path)")
        return bundle
    }

    /// A fixture's path (scripts the tests hand to other processes).
    static func fixture(_ name: String) throws -> URL {
        let url = Bundle.module.bundleURL.appendingPathComponent("Fixtures").appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        return try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"), "fixture \(name)")
    }

    /// Runs a process to completion (killed after `timeout`); returns its exit status, stdout and stderr.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(90), environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        let err = directory.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let finished = await waitForExit(process, timeout: timeout)
        if !finished {
            process.terminate()
            Issue.record("\(executable) \(arguments.first ?? "") did not finish within \(timeout)")
        }
        return (process.terminationStatus,
                (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Polls until the process exits or `timeout` passes; returns whether it exited.
    static func waitForExit(_ process: Process, timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }
}

/// A `driftwatch broker` child process, stopped (SIGTERM, then SIGKILL) when the test is done with it.
final class BrokerProcess {
    let process = Process()
    let bootstrapServers: String
    private let directory: URL

    /// Starts `driftwatch broker` with `arguments` and waits (up to 20 s) for its `bootstrap.servers=` line.
    init(arguments: [String]) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dw-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let out = directory.appendingPathComponent("out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        process.executableURL = try ExternalProcess.driftwatchBinary()
        process.arguments = ["broker"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: String? = nil
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while line == nil && clock.now < deadline && process.isRunning {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            line = text.split(separator: "\n").first { $0.hasPrefix("bootstrap.servers=") }.map(String.init)
            if line == nil { try? await Task.sleep(for: .milliseconds(20)) }
        }
        guard let line else {
            process.terminate()
            throw BrokerProcessError.noBootstrapLine
        }
        bootstrapServers = String(line.dropFirst("bootstrap.servers=".count))
    }

    /// Sends SIGTERM and waits up to `timeout` for the exit; returns the exit status, or nil if it had to be killed.
    func stop(timeout: Duration = .seconds(10)) async -> Int32? {
        defer { try? FileManager.default.removeItem(at: directory) }
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        if await ExternalProcess.waitForExit(process, timeout: timeout) { return process.terminationStatus }
        kill(process.processIdentifier, SIGKILL)
        return nil
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

enum BrokerProcessError: Error {
    case noBootstrapLine
}
