import DriftKafka
import Foundation
import Testing

extension ProcessHeavy {
    @Suite("Consumer groups, commits and restarts", .timeLimit(.minutes(3)))
    struct ConsumerGroupTests {
        /// Produces `count` messages numbered from `first`, spread round-robin over `partitions` partitions.
        static func produce(_ producer: KafkaProducer, topic: String, partitions: Int32, range: Range<Int>) async throws {
            for index in range {
                try await producer.enqueue(KafkaProducerMessage(
                    topic: topic, partition: Int32(index % Int(partitions)), value: KafkaTestSupport.payload(index)))
            }
            try await producer.flush()
        }

        @Test("two members share six partitions 3/3; when one leaves the other owns all six; only the uncommitted tail is processed twice")
        func twoMembersThenOne() async throws {
            let topic = KafkaTestSupport.uniqueName("group")
            let group = KafkaTestSupport.uniqueName("g")
            let broker = try KafkaTestSupport.broker(brokers: 3, topic: topic, partitions: 6)
            let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
            try await Self.produce(producer, topic: topic, partitions: 6, range: 0..<3_600)

            // (Each rebalance round takes about five seconds against the mock: see consumerConfiguration.)
            let configuration = KafkaTestSupport.consumerConfiguration(broker, group: group)
            // A joins first, owns all six and processes the backlog; then B joins and takes three of them
            // (a cooperative, incremental rebalance: A revokes three, keeps three, and goes on consuming them).
            let first = GroupMember(name: "A", consumer: try KafkaConsumer(configuration: configuration, topics: [topic]))
            first.start()
            let alone = await KafkaTestSupport.waitUntil(timeout: .seconds(30)) {
                first.consumer.assignment.count == 6 && first.processed.count >= 3_600
            }
            #expect(alone, "A owns \(first.consumer.assignment.sorted()), processed \(first.processed.count)")
            let second = GroupMember(name: "B", consumer: try KafkaConsumer(configuration: configuration, topics: [topic]))
            second.start()

            let balanced = await KafkaTestSupport.waitUntil(timeout: .seconds(40)) {
                first.consumer.assignment.count == 3 && second.consumer.assignment.count == 3
            }
            #expect(balanced, "assignments: \(first.consumer.assignment.sorted()) / \(second.consumer.assignment.sorted()); rebalances A: \(first.rebalances) B: \(second.rebalances); commit errors A: \(first.commitErrors.count) B: \(second.commitErrors.count)")
            guard balanced else {  // the rest would only repeat this failure
                await first.consumer.close(); await second.consumer.close(); await producer.close(); return
            }
            #expect(first.consumer.assignment.isDisjoint(with: second.consumer.assignment))

            // B keeps processing but stops committing: what it processes from now on is its uncommitted tail.
            second.stopCommitting()
            try await Self.produce(producer, topic: topic, partitions: 6, range: 3_600..<4_200)
            let phaseTwo = await KafkaTestSupport.waitUntil { Set(first.processed + second.processed).count >= 4_200 }
            #expect(phaseTwo)
            await second.stopProcessing()
            let tail = second.uncommitted
            #expect(tail.count == 300, "B owns three of six partitions, so 300 of the 600 new messages")
            await second.consumer.close()

            let takeover = await KafkaTestSupport.waitUntil(timeout: .seconds(40)) { first.consumer.assignment.count == 6 }
            #expect(takeover, "A owns \(first.consumer.assignment.sorted())")
            try await Self.produce(producer, topic: topic, partitions: 6, range: 4_200..<4_800)
            let phaseThree = await KafkaTestSupport.waitUntil { Set(first.processed + second.processed).count >= 4_800 }
            #expect(phaseThree)
            try? await Task.sleep(for: .milliseconds(300))  // let any duplicate beyond the tail show up
            await first.stopProcessing()

            let all = first.processed + second.processed
            var counts: [Int: Int] = [:]
            for index in all { counts[index, default: 0] += 1 }
            let duplicates = Set(counts.filter { $0.value > 1 }.keys)
            #expect(Set(counts.keys) == Set(0..<4_800), "every message processed")
            #expect(counts.values.allSatisfy { $0 <= 2 })
            #expect(duplicates == Set(tail), "exactly B's uncommitted tail is processed twice: \(duplicates.count) duplicates, tail \(tail.count), \(duplicates.subtracting(tail).count) outside it")
            #expect(all.count == 4_800 + tail.count)
            #expect(first.commitErrors.isEmpty, "\(first.commitErrors.prefix(3))")
            #expect(second.commitErrors.isEmpty, "\(second.commitErrors.prefix(3))")
            // The cooperative protocol also delivers empty incremental assignments; the ones that move partitions
            // are exactly: A gets six, gives three up, gets them back; B gets three (it stopped reading before it left).
            let movesA = first.rebalances.filter { !$0.hasSuffix("()") }.map { $0.prefix { $0 != "(" } }
            let movesB = second.rebalances.filter { !$0.hasSuffix("()") }.map { $0.prefix { $0 != "(" } }
            #expect(movesA == ["assigned", "revoked", "assigned"], "A: \(first.rebalances)")
            #expect(movesB == ["assigned"], "B: \(second.rebalances)")
            await first.consumer.close()
            await producer.close()
        }

        @Test("a restarted consumer resumes at its committed offsets")
        func restartResumesAtCommittedOffsets() async throws {
            let topic = KafkaTestSupport.uniqueName("restart")
            let group = KafkaTestSupport.uniqueName("g")
            let broker = try KafkaTestSupport.broker(topic: topic, partitions: 2)
            let producer = try KafkaProducer(configuration: KafkaTestSupport.producerConfiguration(broker))
            try await Self.produce(producer, topic: topic, partitions: 2, range: 0..<1_000)
            let configuration = KafkaTestSupport.consumerConfiguration(broker, group: group)
            let partitions = [KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1)]

            // First run: process and commit 150 messages of each partition, then leave.
            let firstRun = try KafkaConsumer(configuration: configuration, topics: [topic])
            var taken: [Int32: Int] = [:]
            var firstIndices: Set<Int> = []
            for await message in firstRun.messages {
                guard taken[message.partition, default: 0] < 150 else {
                    if taken.values.allSatisfy({ $0 >= 150 }) && taken.count == 2 { break }
                    continue
                }
                taken[message.partition, default: 0] += 1
                firstIndices.insert(KafkaTestSupport.index(of: message) ?? -1)
                try await firstRun.commit([message.nextOffset])
            }
            let committed = try await firstRun.committed(partitions)
            #expect(committed[partitions[0]] == 150)
            #expect(committed[partitions[1]] == 150)
            await firstRun.close()

            try await Self.produce(producer, topic: topic, partitions: 2, range: 1_000..<1_200)
            let secondRun = try KafkaConsumer(configuration: configuration, topics: [topic])
            var firstOffsets: [Int32: Int64] = [:]
            var secondIndices: Set<Int> = []
            for await message in secondRun.messages {
                if firstOffsets[message.partition] == nil { firstOffsets[message.partition] = message.offset }
                secondIndices.insert(KafkaTestSupport.index(of: message) ?? -1)
                if secondIndices.count == 900 { break }
            }
            #expect(firstOffsets == [0: 150, 1: 150])
            #expect(firstIndices.isDisjoint(with: secondIndices))
            #expect(firstIndices.union(secondIndices) == Set(0..<1_200))
            let lag = try await secondRun.lag()
            #expect(lag.count == 2)
            #expect(lag.allSatisfy { $0.highWatermark == 600 && $0.lag == 0 && $0.committed == 150 })
            await secondRun.close()
            await producer.close()
        }

        @Test("members closed while joining, and idle members with no partition, close cleanly")
        func closeWhileJoining() async throws {
            let topic = KafkaTestSupport.uniqueName("joining")
            let broker = try KafkaTestSupport.broker(topic: topic, partitions: 1)
            // The mock may only notice the hasty member leave at its session timeout (6 s here).
            let configuration = KafkaTestSupport.consumerConfiguration(broker, group: KafkaTestSupport.uniqueName("g"))
            // Closed at once: mid-join (librdkafka 2.0.2 would abort if destroyed before the assignment).
            let hasty = try KafkaConsumer(configuration: configuration, topics: [topic])
            await hasty.close()
            // Three members for one partition: two stay idle with empty assignments.
            let members = try (0..<3).map { _ in try KafkaConsumer(configuration: configuration, topics: [topic]) }
            let readers = members.map { member in Task { for await _ in member.messages {} } }
            let settled = await KafkaTestSupport.waitUntil(timeout: .seconds(30)) {
                members.map(\.assignment.count).reduce(0, +) == 1
            }
            #expect(settled)
            for member in members { await member.close() }
            for reader in readers { await reader.value }
            #expect(hasty.statistics.errors == 0)
        }
    }
}
