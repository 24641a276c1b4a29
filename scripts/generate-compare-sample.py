#!/usr/bin/env python3
"""Generates the synthetic `compare` benchmark shape: N rows x 25 columns (20 numeric, 5 categorical).

    scripts/generate-compare-sample.py --rows 100000 --seed 1 reference.csv
    scripts/generate-compare-sample.py --rows 100000 --seed 2 --drift current.csv

Numeric columns f00..f19 hold normal, log-normal, uniform, exponential and integer-count values written
with 6 decimals (integers plain); categorical columns c0..c4 hold 3 to 40 categories. With --drift the
current sample changes on purpose: f00 mean +0.5 sd, f01 sd x1.5, f02 mean +0.05 sd (small), f03 mixed
with 20 % of values from another distribution, c0 proportions tilted, c1 a new category 'zz' in 10 %
of rows. Every other column keeps its distribution. Output ending in .gz is gzip-compressed; .jsonl
writes JSON Lines. Only the Python standard library is used; the output is deterministic per seed.
"""
import argparse
import gzip
import json
import math
import random


def numeric_value(rng, j, drift):
    kind = j % 5
    shift = 0.0
    scale = 1.0
    if drift and j == 0:
        shift = 0.5
    if drift and j == 1:
        scale = 1.5
    if drift and j == 2:
        shift = 0.05
    if drift and j == 3 and rng.random() < 0.2:
        return round(rng.uniform(5, 10), 6)
    if kind == 0:
        return round(rng.gauss(10 + j, 2) * scale + shift * 2, 6)
    if kind == 1:
        return round(math.exp(rng.gauss(0, 0.5)) * scale + shift, 6)
    if kind == 2:
        return round(rng.uniform(0, 100) * scale + shift * 29, 6)
    if kind == 3:
        return round(rng.expovariate(1 / 3.0) * scale + shift * 3, 6)
    return int(rng.gauss(50, 10) * scale + shift * 10)


CATEGORIES = [
    [f"a{k}" for k in range(3)],
    [f"b{k}" for k in range(8)],
    [f"cat_{k:02d}" for k in range(40)],
    ["red", "green", "blue", "yellow", "black"],
    [f"region-{k}" for k in range(12)],
]


def categorical_value(rng, j, drift):
    cats = CATEGORIES[j]
    if drift and j == 1 and rng.random() < 0.1:
        return "zz"
    weights = [1.0 / (k + 1) for k in range(len(cats))]
    if drift and j == 0:
        weights = list(reversed(weights))
    return rng.choices(cats, weights)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drift", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names = [f"f{j:02d}" for j in range(20)] + [f"c{j}" for j in range(5)]
    opener = gzip.open if args.output.endswith(".gz") else open
    jsonl = ".jsonl" in args.output or ".ndjson" in args.output
    with opener(args.output, "wt", newline="") as out:
        if not jsonl:
            out.write(",".join(names) + "\n")
        for _ in range(args.rows):
            row = [numeric_value(rng, j, args.drift) for j in range(20)]
            row += [categorical_value(rng, j, args.drift) for j in range(5)]
            if jsonl:
                out.write(json.dumps(dict(zip(names, row))) + "\n")
            else:
                out.write(",".join(str(v) for v in row) + "\n")


if __name__ == "__main__":
    main()
