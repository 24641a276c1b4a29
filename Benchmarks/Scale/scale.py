#!/usr/bin/env python3
"""Scale-out and checkpoint-cost benchmark of `driftwatch monitor`, with separate processes.

For each trial: a fresh `driftwatch broker` (12 partitions), a backlog of synthetic inference events
produced by `driftwatch simulate`, then N `driftwatch monitor` workers started together in one group. The
figure is stage 1's consumption throughput across the group: events / (time the last event was consumed -
time the first was), read from every worker's /api/status every 50 ms. Trials with checkpointing on and off
alternate in the same run, so their ratio is measured under the same conditions.

    swift build -c release --product driftwatch
    python3 Benchmarks/Scale/scale.py --binary .build/release/driftwatch [--repeat 3]

Standard library only. Talks to 127.0.0.1 only.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(binary, partitions):
    process = subprocess.Popen([binary, "broker", "--brokers", "1", "--partitions", str(partitions)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("bootstrap.servers="):
        process.kill()
        raise RuntimeError("broker did not start")
    return process, line.split("=", 1)[1]


def status(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=1) as response:
            return json.load(response)
    except Exception:
        return None


def trial(binary, directory, workers, checkpoint, events, partitions, interval):
    broker, bootstrap = start_broker(binary, partitions)
    try:
        profile = os.path.join(directory, "profile.json")
        if not os.path.exists(profile):
            subprocess.run([binary, "simulate", "--events", "0", "--profile-out", profile, "--profile-rows", "5000"],
                           check=True, stderr=subprocess.DEVNULL)
        subprocess.run([binary, "simulate", "--bootstrap-servers", bootstrap, "--events", str(events), "--spacing", "1ms",
                        "--start-offset", "1h", "--align", "10s", "--watermark-beacon", "20s", "-X", "log_level=3"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = events + partitions  # the beacons
        ports = [free_port() for _ in range(workers)]
        arguments = ["--bootstrap-servers", bootstrap, "--profile", profile, "--window", "20s", "--grace", "0s", "--sample-rows", "32",
                     "--idle-timeout", "10m", "--no-feedback", "--model-versions-topic", "off", "--log-level", "error",
                     # The mock's group coordinator sometimes answers a SyncGroup with INVALID_REQUEST when members
                     # join together; the member rejoins and the group waits out the session timeout (45 s by
                     # default). The durability tests use 6 s too.
                     "-X", "log_level=3", "-X", "session.timeout.ms=6000"] + (["--checkpoint-interval", interval] if checkpoint else ["--no-checkpoint"])
        windows = (events + 19_999) // 20_000  # the beacons' window stays open
        monitors = [subprocess.Popen([binary, "monitor", *arguments, "--http-address", f"127.0.0.1:{port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port in ports]
        first = last = evaluated = None
        deadline = time.monotonic() + 180
        consumed = 0
        checkpoints = 0
        while time.monotonic() < deadline:
            documents = [status(port) for port in ports]
            consumed = sum(d["messages_consumed"] for d in documents if d)
            published = sum(d["drift_events_produced"] for d in documents if d)
            now = time.monotonic()
            if consumed > 0 and first is None:
                first = now
            if consumed >= total and last is None:
                last = now
            if published >= windows and evaluated is None:
                evaluated = now
                checkpoints = sum((d.get("checkpoints") or {}).get("written", 0) for d in documents if d)
            if last is not None and evaluated is not None:
                break
            time.sleep(0.02)
        for monitor in monitors:
            monitor.terminate()
        for monitor in monitors:
            try:
                monitor.wait(timeout=30)
            except subprocess.TimeoutExpired:
                monitor.kill()
        lost = sum(d.get("records_lost", 0) for d in documents if d)
        if lost:
            raise RuntimeError(f"{lost} records vanished before they were read (the dev broker keeps ~5 MiB per partition)")
        if first is None or last is None or evaluated is None:
            raise RuntimeError(f"{workers} workers consumed {consumed} of {total}")
        return total / max(last - first, 1e-3), total / max(evaluated - first, 1e-3), checkpoints
    finally:
        broker.terminate()
        broker.wait(timeout=10)


def cpu_seconds(pid):
    """User + system CPU time of a process (Linux /proc), in seconds."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def steady(binary, directory, checkpoint, rate, seconds, partitions):
    """One worker under a steady stream: its CPU time per event, with the default checkpoint interval."""
    broker, bootstrap = start_broker(binary, partitions)
    try:
        profile = os.path.join(directory, "profile.json")
        if not os.path.exists(profile):
            subprocess.run([binary, "simulate", "--events", "0", "--profile-out", profile, "--profile-rows", "5000"],
                           check=True, stderr=subprocess.DEVNULL)
        port = free_port()
        arguments = ["--bootstrap-servers", bootstrap, "--profile", profile, "--window", "20s", "--grace", "0s", "--sample-rows", "32",
                     "--idle-timeout", "10m", "--no-feedback", "--model-versions-topic", "off", "--log-level", "error",
                     "-X", "log_level=3", "--http-address", f"127.0.0.1:{port}"] + ([] if checkpoint else ["--no-checkpoint"])
        monitor = subprocess.Popen([binary, "monitor", *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not (status(port) or {}).get("ready"):
            time.sleep(0.1)
        time.sleep(3)  # the group join
        events = rate * seconds
        before = cpu_seconds(monitor.pid)
        producer = subprocess.Popen([binary, "simulate", "--bootstrap-servers", bootstrap, "--events", str(events), "--spacing", "1ms",
                                     "--start-offset", "1h", "--rate", str(rate), "-X", "log_level=3"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        producer.wait(timeout=seconds * 5 + 60)
        deadline = time.monotonic() + 60
        document = None
        while time.monotonic() < deadline:
            document = status(port)
            if document and document["messages_consumed"] >= events:
                break
            time.sleep(0.05)
        used = cpu_seconds(monitor.pid) - before
        monitor.terminate()
        monitor.wait(timeout=30)
        if not document or document["messages_consumed"] < events or document.get("records_lost"):
            raise RuntimeError(f"steady run consumed {document and document['messages_consumed']} of {events}")
        return used / events * 1e6, (document.get("checkpoints") or {}).get("written", 0)
    finally:
        broker.terminate()
        broker.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/driftwatch")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--partitions", type=int, default=12)
    parser.add_argument("--checkpoint-interval", default="100ms",
                        help="10x the default 1s, so that a backlog consumed in under a second still checkpoints several times")
    parser.add_argument("--events", type=int, default=66_000, help="backlog (the dev broker keeps ~5 MiB per partition: ~7,000 of these ~690-byte events)")
    parser.add_argument("--steady-rate", type=int, default=20_000, help="events/s of the steady-stream checkpoint-cost trials (0: skip)")
    parser.add_argument("--steady-seconds", type=int, default=20)
    options = parser.parse_args()
    configurations = [(1, True), (1, False), (2, True), (4, True)]
    results = {configuration: [] for configuration in configurations}
    complete = {configuration: [] for configuration in configurations}
    with tempfile.TemporaryDirectory() as directory:
        for round_number in range(options.repeat):
            for workers, checkpoint in configurations:
                try:
                    rate, through, written = trial(options.binary, directory, workers, checkpoint, options.events, options.partitions,
                                                   options.checkpoint_interval)
                except RuntimeError as error:
                    print(f"round {round_number + 1}: {workers} worker(s), checkpointing {'on' if checkpoint else 'off'}: FAILED: {error}", flush=True)
                    continue
                results[(workers, checkpoint)].append(rate)
                complete[(workers, checkpoint)].append(through)
                print(f"round {round_number + 1}: {workers} worker(s), checkpointing {'on ' if checkpoint else 'off'}: "
                      f"stage 1 {rate:,.0f} events/s, to the last drift event {through:,.0f} events/s ({written} checkpoint records)",
                      flush=True)
    costs = {True: [], False: []}
    if options.steady_rate:
        with tempfile.TemporaryDirectory() as directory:
            for round_number in range(options.repeat):
                for checkpoint in (True, False):
                    micros, written = steady(options.binary, directory, checkpoint, options.steady_rate, options.steady_seconds, options.partitions)
                    costs[checkpoint].append(micros)
                    print(f"steady round {round_number + 1}: checkpointing {'on ' if checkpoint else 'off'}: {micros:.2f} µs of CPU per event "
                          f"({written} checkpoint records)", flush=True)
    median = {key: statistics.median(values) for key, values in results.items()}
    through = {key: statistics.median(values) for key, values in complete.items()}
    print()
    print(f"| workers | checkpointing | stage 1 events/s | vs 1 worker | events/s to the last drift event | vs 1 worker |")
    print("|---|---|---|---|---|---|")
    for workers, checkpoint in configurations:
        key = (workers, checkpoint)
        print(f"| {workers} | {'on' if checkpoint else 'off'} | {median[key]:,.0f} | {median[key] / median[(1, True)]:.2f}x | "
              f"{through[key]:,.0f} | {through[key] / through[(1, True)]:.2f}x |")
    for name, table in (("stage 1", results), ("to the last drift event", complete)):
        pairs = [on / off for on, off in zip(table[(1, True)], table[(1, False)])]  # rounds where both ran
        print(f"checkpointing on / off, {name}, same rounds (1 worker): {', '.join(f'{p:.2f}' for p in pairs)}; "
              f"median {statistics.median(pairs):.2f}")
    if costs[True]:
        ratios = [on / off for on, off in zip(costs[True], costs[False])]
        print(f"steady stream at {options.steady_rate:,} events/s, checkpoint interval 1 s: CPU per event on / off "
              f"{', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    sys.exit(main())
