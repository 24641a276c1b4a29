#!/usr/bin/env python3
"""Wire-compatibility probe: Python's confluent-kafka (its own bundled librdkafka) against `driftwatch broker`.

produce BOOTSTRAP TOPIC N      -> N records, key "k<i>", value {"i": i, "from": "python"}, header origin=python;
                                  prints {"produced": N, "checksum": ...}
consume BOOTSTRAP TOPIC N GROUP -> reads N records in a consumer group; prints
                                  {"count": ..., "distinct": ..., "checksum": ..., "origins": [...]}
The checksum is the sum (mod 2^64) of each value's FNV-1a-64 hash: order-independent, and simple for both sides.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer


def fnv1a(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def digest(values):
    return format(sum(fnv1a(v) for v in values) & 0xFFFFFFFFFFFFFFFF, "016x")


def produce(bootstrap, topic, count):
    producer = Producer({
        "bootstrap.servers": bootstrap,
        "sticky.partitioning.linger.ms": 0,  # spread unkeyed records; keyed ones go by hash anyway
        "enable.idempotence": True,
    })
    failures = []

    def delivered(err, _msg):
        if err is not None:
            failures.append(str(err))

    values = []
    for i in range(count):
        value = json.dumps({"i": i, "from": "python"}, separators=(",", ":")).encode()
        values.append(value)
        while True:
            try:
                producer.produce(topic, key=f"k{i}".encode(), value=value, headers=[("origin", b"python")], on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    remaining = producer.flush(30)
    if remaining or failures:
        raise SystemExit(f"python producer: {remaining} undelivered, failures: {failures[:3]}")
    print(json.dumps({"produced": count, "checksum": digest(values)}))


def consume(bootstrap, topic, count, group):
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([topic])
    values, origins = [], set()
    deadline = time.time() + 60
    while len(values) < count and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            raise KafkaException(message.error())
        values.append(message.value())
        for name, value in message.headers() or []:
            if name == "origin":
                origins.add(value.decode())
    consumer.commit(asynchronous=False) if values else None
    consumer.close()
    print(json.dumps({"count": len(values), "distinct": len(set(values)), "checksum": digest(values), "origins": sorted(origins)}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "produce":
        produce(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif mode == "consume":
        consume(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        raise SystemExit(f"unknown mode {mode}")
