import CRdKafka

/// A partition of a topic.
public struct KafkaTopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }

    public static func < (lhs: KafkaTopicPartition, rhs: KafkaTopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }
}

/// A partition and an offset in it: the next offset to read (for commits and seeks) or a stored position.
public struct KafkaTopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topicPartition: KafkaTopicPartition
    /// The offset; for commits, the offset of the next message to consume (last processed + 1).
    public var offset: Int64

    public init(_ topicPartition: KafkaTopicPartition, offset: Int64) {
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public init(topic: String, partition: Int32, offset: Int64) {
        self.init(KafkaTopicPartition(topic: topic, partition: partition), offset: offset)
    }

    public var description: String { "\(topicPartition)@\(offset)" }
}

/// Special offsets understood by librdkafka.
public enum KafkaOffset {
    /// The start of the partition (`RD_KAFKA_OFFSET_BEGINNING`).
    public static let beginning = Int64(RD_KAFKA_OFFSET_BEGINNING)
    /// The end of the partition (`RD_KAFKA_OFFSET_END`).
    public static let end = Int64(RD_KAFKA_OFFSET_END)
    /// The committed offset, or `auto.offset.reset` without one (`RD_KAFKA_OFFSET_STORED`).
    public static let stored = Int64(RD_KAFKA_OFFSET_STORED)
    /// No offset (`RD_KAFKA_OFFSET_INVALID`), e.g. nothing committed yet.
    public static let invalid = Int64(RD_KAFKA_OFFSET_INVALID)
}

/// Conversions between Swift partition lists and `rd_kafka_topic_partition_list_t`.
enum NativePartitionList {
    /// A new native list (destroy with `rd_kafka_topic_partition_list_destroy`).
    static func make(_ partitions: [KafkaTopicPartitionOffset]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(max(partitions.count, 1)))!
        for entry in partitions {
            let element = rd_kafka_topic_partition_list_add(list, entry.topicPartition.topic, entry.topicPartition.partition)!
            element.pointee.offset = entry.offset
        }
        return list
    }

    static func make(_ partitions: [KafkaTopicPartition]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        make(partitions.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.invalid) })
    }

    /// The entries of a native list, with each entry's error if it has one.
    static func entries(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [(KafkaTopicPartitionOffset, rd_kafka_resp_err_t)] {
        guard let list, list.pointee.cnt > 0, let elements = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = elements[index]
            let partition = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
            return (KafkaTopicPartitionOffset(partition, offset: element.offset), element.err)
        }
    }
}
