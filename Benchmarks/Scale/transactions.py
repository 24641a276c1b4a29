#!/usr/bin/env python3
"""Cost of Kafka transactions on the dev broker, against the idempotent producer Driftwatch uses.

Produces the same records (412 bytes, 12 partitions) three ways to a fresh `driftwatch broker`:
  * idempotent, flushed once per checkpoint interval (what a checkpointing monitor does: flush, then write
    the checkpoint);
  * transactional, one transaction per checkpoint interval (what exactly-once via transactions would do:
    outputs, checkpoint and offsets committed together);
and reports records/s and the time a commit (flush or commit_transaction) takes. Python's confluent-kafka
bundles a newer librdkafka than the Debian one Driftwatch links; both talk to the same mock broker.

    python3 Benchmarks/Scale/transactions.py --binary .build/release/driftwatch
"""
import argparse
import statistics
import subprocess
import time

from confluent_kafka import Producer


def run(bootstrap, transactional, records, per_commit, value):
    configuration = {"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5, "log_level": 3}
    if transactional:
        configuration["transactional.id"] = f"bench-{time.monotonic_ns()}"
    producer = Producer(configuration)
    if transactional:
        producer.init_transactions(30)
    commits = []
    began = time.monotonic()
    sent = 0
    while sent < records:
        if transactional:
            producer.begin_transaction()
        for index in range(per_commit):
            while True:
                try:
                    producer.produce("inference-events", value=value, partition=(sent + index) % 12)
                    break
                except BufferError:
                    producer.poll(0.01)
        sent += per_commit
        started = time.monotonic()
        if transactional:
            producer.commit_transaction(30)
        else:
            producer.flush(30)
        commits.append(time.monotonic() - started)
    elapsed = time.monotonic() - began
    return records / elapsed, statistics.median(commits) * 1000, max(commits) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/driftwatch")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--per-commit", type=int, default=2_000, help="records per flush or transaction")
    options = parser.parse_args()
    broker = subprocess.Popen([options.binary, "broker", "--brokers", "1", "--partitions", "12"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    bootstrap = broker.stdout.readline().strip().split("=", 1)[1]
    value = b"x" * 412
    try:
        for round_number in range(3):
            for transactional in (False, True):
                rate, median, worst = run(bootstrap, transactional, options.records, options.per_commit, value)
                kind = "transactions" if transactional else "idempotent  "
                print(f"round {round_number + 1} {kind}: {rate:,.0f} records/s, commit median {median:.1f} ms, worst {worst:.1f} ms", flush=True)
    finally:
        broker.terminate()
        broker.wait(timeout=10)


if __name__ == "__main__":
    main()
