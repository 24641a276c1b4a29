/// A Kafka record header.
public struct KafkaHeader: Hashable, Sendable {
    public var name: String
    /// The value; nil for a header with a null value.
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    public init(name: String, string: String) {
        self.init(name: name, value: Array(string.utf8))
    }
}

/// A record to produce.
public struct KafkaProducerMessage: Sendable, Equatable {
    public var topic: String
    /// The partition, or nil to let the partitioner choose (by key hash when there is a key).
    public var partition: Int32?
    public var key: [UInt8]?
    /// The payload; nil produces a tombstone (null value), which compacted topics use as a delete.
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// Creation time in milliseconds since the Unix epoch; nil lets librdkafka stamp the current time.
    public var timestampMilliseconds: Int64?

    public init(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?, headers: [KafkaHeader] = [], timestampMilliseconds: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    public init(topic: String, partition: Int32? = nil, key: String? = nil, value: String, headers: [KafkaHeader] = [], timestampMilliseconds: Int64? = nil) {
        self.init(topic: topic, partition: partition, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers, timestampMilliseconds: timestampMilliseconds)
    }
}

/// A consumed record.
///
/// Its key and value are `KafkaBytes` views into memory the whole fetched batch shares (no allocation per
/// record); `key` and `value` make owned `[UInt8]` copies on demand.
public struct KafkaMessage: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The key's bytes, nil for a null key.
    public var keyBytes: KafkaBytes?
    /// The value's bytes (empty for a null value; see `isTombstone`).
    public var valueBytes: KafkaBytes
    /// True when the record's value was null.
    public var isTombstone: Bool
    public var headers: [KafkaHeader]
    /// The record's timestamp in milliseconds since the Unix epoch, if it has one.
    public var timestampMilliseconds: Int64?

    public init(topic: String, partition: Int32, offset: Int64, keyBytes: KafkaBytes?, valueBytes: KafkaBytes, isTombstone: Bool = false, headers: [KafkaHeader] = [], timestampMilliseconds: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.keyBytes = keyBytes
        self.valueBytes = valueBytes
        self.isTombstone = isTombstone
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], isTombstone: Bool = false, headers: [KafkaHeader] = [], timestampMilliseconds: Int64? = nil) {
        self.init(topic: topic, partition: partition, offset: offset, keyBytes: key.map(KafkaBytes.init), valueBytes: KafkaBytes(value),
                  isTombstone: isTombstone, headers: headers, timestampMilliseconds: timestampMilliseconds)
    }

    /// The key as an owned array (a copy), nil for a null key.
    public var key: [UInt8]? { keyBytes.map { Array($0) } }

    /// The value as an owned array (a copy). Hot paths read `valueBytes` in place instead.
    public var value: [UInt8] { Array(valueBytes) }

    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The offset to commit once this message is processed (its offset + 1).
    public var nextOffset: KafkaTopicPartitionOffset { KafkaTopicPartitionOffset(topicPartition, offset: offset + 1) }

    /// The first header named `name`.
    public func header(_ name: String) -> KafkaHeader? { headers.first { $0.name == name } }
}

/// Where a produced record was stored.
public struct KafkaDeliveryReport: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The record's timestamp in milliseconds since the epoch: the producer's create time, or the broker's
    /// log-append time when the topic uses it (see `timestampIsLogAppendTime`).
    public var timestampMilliseconds: Int64?
    /// True when the broker replaced the timestamp with its log-append time. (librdkafka's mock cluster
    /// answers with a placeholder log-append time, 1234.)
    public var timestampIsLogAppendTime: Bool = false
}
