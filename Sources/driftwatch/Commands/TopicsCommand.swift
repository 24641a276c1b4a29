import ArgumentParser
import DriftKafka

/// `driftwatch topics`: list a cluster's topics, or make sure Driftwatch's topics exist.
struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the cluster's topics, or create Driftwatch's default topics where they are missing.",
        discussion: """
            With --ensure, creates the default topics (inference-events, feedback-events, driftwatch.partials, \
            drift-events, model-versions, driftwatch.dead-letter, label-requests) that do not exist: through the CreateTopics \
            API, or where the cluster lacks it (the dev broker) through auto-creation, and says which path it \
            took. Exit status 1 when the cluster cannot be reached or a topic cannot be made to exist.
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Flag(help: "Create the default topics that are missing.")
    var ensure = false

    @Option(help: "Partitions for topics --ensure creates.")
    var partitions: Int = 6

    @Option(help: "Replication factor for topics --ensure creates.")
    var replicationFactor: Int = 1

    func run() async throws {
        let configuration = try kafka.configuration(role: .admin)
        do throws(KafkaError) {
            let admin = try KafkaAdmin(configuration: configuration)
            if ensure {
                let specifications = DevBroker.defaultTopicNames.map {
                    KafkaTopicSpecification(name: $0, partitions: Int32(partitions), replicationFactor: Int32(replicationFactor))
                }
                let outcomes = try await admin.ensureTopics(specifications)
                for name in DevBroker.defaultTopicNames {
                    StandardOutput.emitLine("\(name)\t\(outcomes[name]?.rawValue ?? "unknown")")
                }
            } else {
                for topic in try await admin.listTopics() {
                    StandardOutput.emitLine("\(topic.name)\t\(topic.partitions.count)")
                }
            }
        } catch {
            StandardError.emit("driftwatch topics: \(error)\n")
            throw ExitCode(1)
        }
    }
}
