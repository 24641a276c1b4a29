import DriftKafka
import Foundation
import Testing

/// `driftwatch broker` as a user runs it: its one stdout line, its topics, its errors.
@Suite("driftwatch broker command", .timeLimit(.minutes(2)))
struct BrokerCommandTests {
    @Test("prints one bootstrap line, creates the default and named topics, stops on SIGTERM")
    func defaultsAndNamedTopics() async throws {
        let broker = try await BrokerProcess(arguments: ["--brokers", "2", "--partitions", "3", "--topics", "extra:5,inference-events:8"])
        let servers = broker.bootstrapServers.split(separator: ",")
        #expect(servers.count == 2, "no --port: the two brokers' own addresses")
        #expect(servers.allSatisfy { $0.hasPrefix("127.0.0.1:") })
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: broker.bootstrapServers, properties: ["log_level": "3"]))
        let topics = Dictionary(uniqueKeysWithValues: try await admin.listTopics().map { ($0.name, $0.partitions.count) })
        for name in DevBroker.defaultTopicNames where name != "inference-events" {
            #expect(topics[name] == 3, "\(name)")
        }
        #expect(topics["inference-events"] == 8)
        #expect(topics["extra"] == 5)
        #expect(await broker.stop() == 0)
    }

    @Test("a client that hangs up with requests in flight leaves the broker running (the bootstrap relay died of SIGPIPE)")
    func clientHangingUpMidRequest() async throws {
        let port = try KafkaTestSupport.freePort()
        let broker = try await BrokerProcess(arguments: ["--brokers", "1", "--port", "\(port)"])
        // 20 pipelined ApiVersions requests, then close: the relay's outgoing direction is shut down while the
        // responses are still arriving from the mock broker. Before the fix one such connection killed the process.
        for connection in 0..<10 {
            try LoopbackClient.sendAndHangUp(port: port, bytes: (0..<20).flatMap { LoopbackClient.apiVersionsRequest(correlationID: Int32(connection * 20 + $0)) })
        }
        try await Task.sleep(for: .milliseconds(500))
        try #require(broker.process.isRunning, "the broker died: \(broker.process.terminationReason == .uncaughtSignal ? "signal" : "exit") \(broker.process.terminationStatus)")
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:\(port)", properties: ["log_level": "3"]))
        #expect(try await admin.listTopics().contains { $0.name == "inference-events" }, "still serves through the relay")
        #expect(await broker.stop() == 0)
    }

    @Test("bad arguments are usage errors (exit 64) that say what is wrong")
    func usageErrors() async throws {
        let binary = try ExternalProcess.driftwatchBinary().path
        for (arguments, needle) in [
            (["--brokers", "0"], "--brokers"),
            (["--partitions", "0"], "--partitions"),
            (["--port", "70000"], "--port"),
            (["--topics", "bad name:2"], "not a valid topic name"),
            (["--topics", "ok:zero"], "partition count"),
        ] {
            let result = try await ExternalProcess.run(binary, ["broker"] + arguments, timeout: .seconds(20))
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(needle), "\(arguments): \(result.stderr)")
        }
    }

    @Test("a port already in use is refused with exit status 1 and the port in the message")
    func busyPort() async throws {
        let holder = try DevBroker(brokers: 1, port: 0)
        let port = try #require(holder.frontDoorPort)
        let result = try await ExternalProcess.run(try ExternalProcess.driftwatchBinary().path, ["broker", "--port", "\(port)"], timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(port)"))
        #expect(result.stdout.isEmpty, "no bootstrap line when the broker did not start")
        holder.shutdown()
    }
}

@Suite("driftwatch topics command", .timeLimit(.minutes(2)))
struct TopicsCommandTests {
    @Test("lists a dev broker's topics and ensures missing ones by auto-creation; a bad -X fails clearly")
    func listAndEnsure() async throws {
        let broker = try DevBroker(brokers: 1, topics: [KafkaTopicSpecification(name: "inference-events", partitions: 4)])
        let binary = try ExternalProcess.driftwatchBinary().path
        let listed = try await ExternalProcess.run(binary, ["topics", "--bootstrap-servers", broker.bootstrapServers, "-X", "log_level=3"], timeout: .seconds(30))
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("inference-events\t4"))
        let ensured = try await ExternalProcess.run(binary, ["topics", "--ensure", "-X", "log_level=3"], timeout: .seconds(60), environment: ["DRIFTWATCH_BOOTSTRAP_SERVERS": broker.bootstrapServers])
        #expect(ensured.status == 0, "\(ensured.stderr)")
        #expect(ensured.stdout.contains("inference-events\texisted"))
        #expect(ensured.stdout.contains("drift-events\tautoCreated"))
        let bad = try await ExternalProcess.run(binary, ["topics", "--bootstrap-servers", broker.bootstrapServers, "-X", "no.such.property=1"], timeout: .seconds(30))
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("no.such.property"))
        broker.shutdown()
    }
}
