import DriftMonitor
import Foundation
import Testing

@testable import DriftServer

@Suite("Process metrics")
struct ProcessMetricsTests {
    @Test("a stat line parses after the command's last parenthesis, whatever the name holds")
    func statLineParses() throws {
        // Fields 3… of a real line, after a command name with spaces and parentheses.
        let line = "4242 (drift (watch) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 567 0 0 20 0 23 0 8800 1092616192 20480 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0"
        let stat = try #require(ProcessMetrics.Stat(parsing: line))
        #expect(stat.userTicks == 1234)
        #expect(stat.systemTicks == 567)
        #expect(stat.threads == 23)
        #expect(stat.startTicks == 8800)
        #expect(stat.virtualBytes == 1_092_616_192)
        #expect(stat.residentPages == 20480)
        #expect(ProcessMetrics.Stat(parsing: "no parenthesis here") == nil)
        #expect(ProcessMetrics.Stat(parsing: "1 (short) S 1 2 3") == nil)
    }

    @Test("this process's figures: families with HELP and TYPE, resident memory near /proc's VmRSS, descriptors counted")
    func ownFigures() throws {
        let text = ProcessMetrics.text()
        for family in ["process_resident_memory_bytes", "process_virtual_memory_bytes", "process_cpu_seconds_total", "process_threads",
                       "process_open_fds", "process_max_fds", "process_start_time_seconds"] {
            #expect(text.contains("# TYPE \(family) "), "\(family) missing in \(text)")
        }
        let resident = try #require(Self.sample(text, "process_resident_memory_bytes"))
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let vmRSS = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") })
        // The same kernel counter read twice, microseconds apart; other tests' threads may allocate in between.
        #expect(abs(resident - vmRSS * 1_024) < 0.1 * vmRSS * 1_024, "\(resident) vs VmRSS \(vmRSS) kB")
        // 64 more descriptors: other tests running alongside would have to close as many at that moment to hide them.
        let descriptorsBefore = try #require(Self.sample(text, "process_open_fds"))
        let handles = try (0..<64).map { _ in try #require(FileHandle(forReadingAtPath: "/proc/self/stat")) }
        defer { for handle in handles { try? handle.close() } }
        let descriptorsAfter = try #require(Self.sample(ProcessMetrics.text(), "process_open_fds"))
        #expect(descriptorsAfter >= descriptorsBefore + 32, "\(descriptorsBefore) then \(descriptorsAfter) with 64 more open")
        // Started after the machine booted and before now.
        let start = try #require(Self.sample(text, "process_start_time_seconds"))
        let now = Date().timeIntervalSince1970
        #expect(start <= now + 1 && start >= now - ProcessInfo.processInfo.systemUptime - 1, "\(start)")
        #expect(try #require(Self.sample(text, "process_threads")) >= 1)
    }

    @Test("the state gauges sum the owned partitions' last checkpoints per stage (absent before any); the recent windows' bytes")
    func stateGauges() {
        func partition(_ stage: PartitionStatus.Stage, _ number: Int32, bytes: Int?, windows: Int?) -> PartitionStatus {
            var status = PartitionStatus(stage: stage, topic: "t", partition: number)
            status.stateBytes = bytes
            status.openWindows = windows
            return status
        }
        let text = MonitorHTTPAPI.stateMetrics([
            partition(.stage1, 0, bytes: 1_000, windows: 2), partition(.stage1, 1, bytes: 500, windows: 1), partition(.stage1, 2, bytes: nil, windows: nil),
            partition(.stage2, 0, bytes: 70, windows: 3),
        ], recentWindowsBytes: 4_096)
        #expect(Self.sample(text, #"driftwatch_state_bytes{stage="stage1"}"#) == 1_500)
        #expect(Self.sample(text, #"driftwatch_state_bytes{stage="stage2"}"#) == 70)
        #expect(Self.sample(text, #"driftwatch_open_windows{stage="stage1"}"#) == 3)
        #expect(text.contains("# TYPE driftwatch_state_bytes gauge"))
        #expect(Self.sample(text, "driftwatch_recent_windows_bytes") == 4_096)
        let before = MonitorHTTPAPI.stateMetrics([partition(.stage1, 0, bytes: nil, windows: nil)], recentWindowsBytes: 0)
        #expect(!before.contains("driftwatch_state_bytes") && !before.contains("driftwatch_open_windows"))
    }

    /// The value of the sample whose name and labels are `series`.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
