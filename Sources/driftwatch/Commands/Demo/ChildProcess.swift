import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A `driftwatch` subcommand run as a child process by the demo, its output in a log file.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let process: Process
    let logPath: String

    /// Starts `driftwatch ARGUMENTS` (this executable), logging to `logPath`.
    init(name: String, arguments: [String], logPath: String) throws {
        self.name = name
        self.logPath = logPath
        FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw DemoFailure("cannot write \(logPath)") }
        process = Process()
        process.executableURL = ChildProcess.executable
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// This program's own executable.
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    var isRunning: Bool { process.isRunning }

    /// The log's last lines (for error messages).
    func tail(_ lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// SIGTERM, then SIGKILL after `grace`.
    func stop(grace: Duration = .seconds(15)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits until `url` answers 200, the process is gone (an error with its log), or `timeout` passes.
    func waitUntilReady(_ url: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw DemoFailure("\(name) exited (status \(process.terminationStatus)):\n\(tail())") }
            if await HTTP.get(url)?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw DemoFailure("\(name) was not ready at \(url) within \(timeout):\n\(tail())")
    }
}

/// Minimal HTTP over URLSession for the demo.
enum HTTP {
    static func get(_ url: String) async -> (status: Int, body: Data)? {
        guard let address = URL(string: url) else { return nil }
        var request = URLRequest(url: address)
        request.timeoutInterval = 5
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    static func post(_ url: String, json: [UInt8], timeout: TimeInterval = 30) async throws -> (status: Int, body: Data) {
        guard let address = URL(string: url) else { throw DemoFailure("bad URL \(url)") }
        var request = URLRequest(url: address)
        request.httpMethod = "POST"
        request.httpBody = Data(json)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = timeout
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

/// A demo failure with its reason.
struct DemoFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
