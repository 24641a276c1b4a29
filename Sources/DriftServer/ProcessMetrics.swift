import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The process's own figures in Prometheus text, appended to every service's `/metrics`: the standard
/// `process_*` families of Prometheus client libraries, read from `/proc/self` at scrape time, and the memory
/// allocator's view when it can say (jemalloc, which the `driftwatch` services run on Linux):
///
/// | metric | type | meaning |
/// |---|---|---|
/// | `process_resident_memory_bytes` | gauge | resident set (RSS) |
/// | `process_virtual_memory_bytes` | gauge | virtual size |
/// | `process_cpu_seconds_total` | counter | user + system CPU time |
/// | `process_open_fds`, `process_max_fds` | gauge | open descriptors, their limit |
/// | `process_threads` | gauge | threads |
/// | `process_start_time_seconds` | gauge | start time, seconds since the epoch |
/// | `driftwatch_allocator_allocated_bytes` | gauge | bytes the program holds (`allocator`) |
/// | `driftwatch_allocator_resident_bytes` | gauge | bytes the allocator keeps resident, free ones included |
/// | `driftwatch_allocator_retained_bytes` | gauge | address space the allocator retained but gave back to the system |
///
/// Resident memory that grows while allocated bytes stay flat is the allocator's (fragmentation); allocated
/// bytes that grow are the program's.
public enum ProcessMetrics {
    /// The figures of `/proc/self/stat` that the metrics need (fields 14, 15, 20, 22, 23 and 24).
    public struct Stat: Equatable, Sendable {
        public var userTicks: UInt64
        public var systemTicks: UInt64
        public var threads: Int
        public var startTicks: UInt64
        public var virtualBytes: UInt64
        public var residentPages: UInt64

        /// Parses `/proc/[pid]/stat`. The command name (field 2) may hold spaces and parentheses: the fields
        /// are counted after its last `)`. Nil when the text is not a stat line.
        public init?(parsing text: String) {
            guard let close = text.lastIndex(of: ")") else { return nil }
            // Fields 3... ; index 0 here is field 3 (state).
            let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
            func field(_ number: Int) -> UInt64? { fields.count > number - 3 ? UInt64(fields[number - 3]) : nil }
            guard let user = field(14), let system = field(15), let threads = field(20), let start = field(22), let virtual = field(23),
                  let resident = field(24)
            else { return nil }
            userTicks = user
            systemTicks = system
            self.threads = Int(threads)
            startTicks = start
            virtualBytes = virtual
            residentPages = resident
        }
    }

    /// jemalloc's counters.
    public struct AllocatorStatistics: Equatable, Sendable {
        public var allocated: UInt64
        public var resident: UInt64
        public var retained: UInt64
    }

    /// The process's figures as Prometheus text (empty where `/proc` is missing).
    public static func text() -> String {
        var out = PrometheusText()
        #if os(Linux)
        if let statText = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let stat = Stat(parsing: statText) {
            let ticks = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
            let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
            gauge(&out, "process_resident_memory_bytes", "Resident memory size in bytes.", Double(stat.residentPages * pageSize))
            gauge(&out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", Double(stat.virtualBytes))
            out.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
            out.sample("process_cpu_seconds_total", Double(stat.userTicks + stat.systemTicks) / ticks)
            gauge(&out, "process_threads", "Number of OS threads in the process.", Double(stat.threads))
            if let boot = bootTime() {
                gauge(&out, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", boot + Double(stat.startTicks) / ticks)
            }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            // The listing's own descriptor is among them.
            gauge(&out, "process_open_fds", "Number of open file descriptors.", Double(max(0, descriptors.count - 1)))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            gauge(&out, "process_max_fds", "Maximum number of open file descriptors.", Double(limit.rlim_cur))
        }
        #endif
        if let allocator = allocatorStatistics() {
            let labels = [("allocator", "jemalloc")]
            out.family("driftwatch_allocator_allocated_bytes", "gauge", "Bytes allocated by the program and not yet freed.")
            out.sample("driftwatch_allocator_allocated_bytes", Double(allocator.allocated), labels: labels)
            out.family("driftwatch_allocator_resident_bytes", "gauge", "Bytes the allocator keeps resident, free ones included.")
            out.sample("driftwatch_allocator_resident_bytes", Double(allocator.resident), labels: labels)
            out.family("driftwatch_allocator_retained_bytes", "gauge", "Address space the allocator retained after giving its pages back.")
            out.sample("driftwatch_allocator_retained_bytes", Double(allocator.retained), labels: labels)
        }
        return out.text
    }

    /// jemalloc's counters when it is the process's allocator (its `mallctl` is found), after refreshing
    /// them; nil otherwise.
    public static func allocatorStatistics() -> AllocatorStatistics? {
        // Statistics are snapshots, refreshed by writing the epoch.
        guard Jemalloc.write("epoch", UInt64(1)), let allocated = Jemalloc.read("stats.allocated"), let resident = Jemalloc.read("stats.resident")
        else { return nil }
        return AllocatorStatistics(
            allocated: UInt64(max(0, allocated)), resident: UInt64(max(0, resident)), retained: UInt64(max(0, Jemalloc.read("stats.retained") ?? 0)))
    }

    private static func gauge(_ out: inout PrometheusText, _ name: String, _ help: String, _ value: Double) {
        out.family(name, "gauge", help)
        out.sample(name, value)
    }

    /// The system's boot time (`btime` of `/proc/stat`), seconds since the epoch.
    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
