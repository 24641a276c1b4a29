#!/usr/bin/env python3
"""Regenerates the small compare fixtures (deterministic). Run from this folder:

    python3 make_fixtures.py && gzip -n -9 -k -f current.csv

reference.csv (400 rows) and current.csv (300 rows) share the columns age, income, score, city, note,
plan, day; each also has a column of its own (only_ref / only_cur) and current.csv orders them
differently. current.jsonl holds exactly the rows of current.csv (missing values as null), and
current.csv.gz is current.csv gzip-compressed. expected.json holds, per file and compared column, the
non-missing values (numbers as floats, categories as counts) and the missing count, as Python's csv
module reads them: the independent oracle of the end-to-end tests. Drift put in on purpose: age +5 years, city gains the
unseen category Nice, plan tilts towards 'pro'. income, score, note and day keep their distribution.
"""
import csv
import json
import random


def rows(rng, n, drift):
    out = []
    for i in range(n):
        age = int(rng.gauss(45 if drift else 40, 10))
        income = round(rng.lognormvariate(10, 0.5), 2)
        score = rng.choice(["?", "", "NA"]) if rng.random() < 0.05 else round(rng.random(), 4)
        cities = ["Paris", "Lyon", "Saint-Étienne", "New York, NY"] + (["Nice"] if drift else [])
        city = rng.choice(cities)
        note = rng.choice(['plain', 'He said "hi"', 'multi\nline'])
        plan = "pro" if rng.random() < (0.6 if drift else 0.3) else "free"
        day = rng.randint(1, 7)
        out.append({"age": age, "income": income, "score": score, "city": city, "note": note, "plan": plan, "day": day})
    return out


def main():
    reference = rows(random.Random(7), 400, False)
    current = rows(random.Random(8), 300, True)
    with open("reference.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["age", "income", "score", "city", "note", "plan", "day", "only_ref"])
        for k, r in enumerate(reference):
            w.writerow([r["age"], r["income"], r["score"], r["city"], r["note"], r["plan"], r["day"], k])
    with open("current.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")  # CRLF on purpose
        w.writerow(["only_cur", "day", "plan", "note", "city", "score", "income", "age"])
        for k, r in enumerate(current):
            w.writerow([k, r["day"], r["plan"], r["note"], r["city"], r["score"], r["income"], r["age"]])
    with open("current.jsonl", "w") as f:
        for k, r in enumerate(current):
            obj = {"only_cur": k, "day": r["day"], "plan": r["plan"], "note": r["note"], "city": r["city"],
                   "score": None if r["score"] in ("?", "", "NA") else r["score"], "income": r["income"], "age": r["age"]}
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")


NA = ("?", "", "NA")
NUMERIC = ["age", "income", "score", "day"]
CATEGORICAL = ["city", "note", "plan"]


def oracle(path):
    with open(path, newline="") as f:
        records = list(csv.DictReader(f))
    out = {}
    for name in NUMERIC + CATEGORICAL:
        values = [r[name] for r in records if r[name] not in NA]
        entry = {"missing": len(records) - len(values)}
        if name in NUMERIC:
            entry["values"] = [float(v) for v in values]
        else:
            counts = {}
            for v in values:
                counts[v] = counts.get(v, 0) + 1
            entry["counts"] = counts
        out[name] = entry
    return {"rows": len(records), "columns": out}


def write_oracle():
    with open("expected.json", "w") as f:
        json.dump({"reference": oracle("reference.csv"), "current": oracle("current.csv")}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
    write_oracle()
