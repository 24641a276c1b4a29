import ArgumentParser
import DriftKafka

/// `driftwatch broker`: the in-memory dev broker (librdkafka's mock cluster) for development, tests and the demo.
struct Broker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an in-memory Kafka cluster on 127.0.0.1 for development (librdkafka's mock cluster).",
        discussion: """
            Creates the default topics (inference-events, feedback-events, driftwatch.partials, drift-events, \
            model-versions, driftwatch.dead-letter, label-requests, the changelogs) with --partitions partitions each, plus any given with \
            --topics, prints one line `bootstrap.servers=HOST:PORT[,...]` on stdout and runs until SIGINT or \
            SIGTERM. Any Kafka client can use it (this tool, kcat, confluent-kafka, Java). It is NOT a real \
            broker: everything lives in memory, each partition keeps only about the last 5 MiB (older records \
            vanish), and there is no CreateTopics API (topics come from here or from auto-creation). For a real \
            cluster, give other commands --bootstrap-servers (see docs/kafka.md).
            """
    )

    @Option(help: "Number of brokers in the cluster (1-32).")
    var brokers: Int = 3

    @Option(help: "Fixed port on 127.0.0.1 for bootstrapping (relayed to broker 1); without it every port is ephemeral.")
    var port: Int?

    @Option(help: "Partitions of each default topic.")
    var partitions: Int = 6

    @Option(help: "More topics, or other partition counts: name:partitions,... (a name alone takes --partitions).")
    var topics: String?

    @Option(help: "Fault injection: on SIGUSR1 every broker goes down (connections dropped, none accepted) for this many seconds, then comes back with its data.")
    var outageSeconds: Double = 5

    func validate() throws {
        guard (1...32).contains(brokers) else { throw ValidationError("--brokers must be between 1 and 32, got \(brokers)") }
        guard outageSeconds > 0, outageSeconds <= 3_600 else { throw ValidationError("--outage-seconds must be in (0, 3600], got \(outageSeconds)") }
        guard (1...10_000).contains(partitions) else { throw ValidationError("--partitions must be between 1 and 10000, got \(partitions)") }
        if let port, !(1...65_535).contains(port) { throw ValidationError("--port must be between 1 and 65535, got \(port)") }
        _ = try topicSpecifications()
    }

    /// The default topics, overridden or extended by `--topics`, in a stable order.
    func topicSpecifications() throws -> [KafkaTopicSpecification] {
        var specifications = DevBroker.defaultTopics(partitions: Int32(partitions))
        for entry in (topics ?? "").split(separator: ",", omittingEmptySubsequences: true) {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            let name = parts[0].trimmingSpaces
            guard Self.isValidTopicName(name) else {
                throw ValidationError("--topics: '\(name)' is not a valid topic name (1-249 of a-z A-Z 0-9 . _ -)")
            }
            var count = partitions
            if parts.count == 2 {
                guard let parsed = Int(parts[1].trimmingSpaces), (1...10_000).contains(parsed) else {
                    throw ValidationError("--topics: '\(entry)' needs a partition count between 1 and 10000 after the colon")
                }
                count = parsed
            } else if parts.count > 2 {
                throw ValidationError("--topics: '\(entry)' is not name:partitions")
            }
            let specification = KafkaTopicSpecification(name: name, partitions: Int32(count))
            if let index = specifications.firstIndex(where: { $0.name == name }) {
                specifications[index] = specification
            } else {
                specifications.append(specification)
            }
        }
        return specifications
    }

    static func isValidTopicName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 249, name != ".", name != ".." else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
            default: false
            }
        }
    }

    func run() async throws {
        let specifications = try topicSpecifications()
        let broker: DevBroker
        do {
            broker = try DevBroker(brokers: brokers, port: port.map { UInt16($0) }, topics: specifications)
        } catch {
            StandardError.emit("driftwatch broker: \(error)\n")
            throw ExitCode(1)
        }
        StandardOutput.emitLine("bootstrap.servers=\(broker.bootstrapServers)")
        let topicList = specifications.map { "\($0.name) (\($0.partitions))" }.joined(separator: ", ")
        StandardError.emit("""
            driftwatch broker: \(brokers) in-memory broker(s) on 127.0.0.1 (librdkafka's mock cluster), for development only.
              Each partition keeps only about the last 5 MiB; nothing is stored on disk.
              Topics: \(topicList)
              Stop with Ctrl-C or SIGTERM. SIGUSR1 takes every broker down for \(outageSeconds) s (fault injection).

            """)
        let outage = Duration.milliseconds(Int64(outageSeconds * 1_000))
        let outages = OutageSignal.install { number in
            StandardError.emit("driftwatch broker: outage \(number): every broker down for \(outage)\n")
            try? broker.setAllBrokersDown()
            try? await Task.sleep(for: outage)
            try? broker.setAllBrokersUp()
            StandardError.emit("driftwatch broker: outage \(number) over: brokers up\n")
        }
        let received = await TerminationSignal.wait()
        outages.cancel()
        StandardError.emit("driftwatch broker: signal \(received), shutting down\n")
        broker.shutdown()
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
