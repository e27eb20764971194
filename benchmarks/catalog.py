"""Catalog at scale: generate N services (default 5,000) from the shipped ones, then time loading and searching.

Prints the cold load (a fresh process with no catalog cache: JSON, schema checks, expressions, cross-checks) and the
warm load (the next start: a fresh process whose cache holds every unchanged file, `kiosk/catalog/cache.py`), each
with the files in the page cache, then building the search index and the search latency over everyday queries (typos
included). Last line: `cold load X.XX s  warm load Y.YY s  search p95 Z.Z ms` (goals:
warm load <= 1 s, search p95 <= 50 ms).

    .venv/bin/python benchmarks/catalog.py [--services 5000] [--queries 400]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "kiosk" / "catalog" / "demo"
QUERIES = [
    "nacimento",
    "registar bebe",
    "mudanca de morada",
    "reforma",
    "pensão de sobrevivência",
    "certidao de obito",
    "registo criminal",
    "renovar carta de condução",
    "cartao de cidadao",
    "chave movel",
    "senha das financas",
    "reembolso irs",
    "subsidio desemprego",
    "medico de famila",
    "despesas de saude",
    "abono de familia",
    "birht registration",
    "moving house",
    "retirement",
    "death certificate",
    "criminal recrd",
    "driving lisence",
    "renew id card",
    "tax password",
    "unemplyment",
    "family doctor",
    "complaint",
    "funral",
    "parental leave",
]


def generate(target: Path, count: int) -> None:
    """`count` services: the demo ones copied under new ids, titles and keywords varied so the index is realistic."""
    shutil.copytree(DEMO / "life-events", target / "life-events")
    shutil.copy(DEMO / "targets.json", target / "targets.json")
    (target / "services").mkdir()
    originals = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((DEMO / "services").glob("*.json"))]
    for n in range(count):
        document = json.loads(json.dumps(originals[n % len(originals)]))
        document["id"] = f"{document['id']}-{n:05d}"
        for lang in document["title"]:
            document["title"][lang] = f"{document['title'][lang]} {n:05d}"
        for words in document["keywords"].values():
            words.append(f"variant{n % 997}")
        (target / "services" / f"{document['id']}.json").write_text(json.dumps(document), encoding="utf-8")


CHILD = """
import json, sys, time
t = time.perf_counter()
from kiosk.catalog import load_catalog
from kiosk.catalog.search import SearchIndex
from pathlib import Path
directory, cache = Path(sys.argv[1]), Path(sys.argv[3])
report = load_catalog(directory, cache_path=cache)
seconds = time.perf_counter() - t
t = time.perf_counter()
index = SearchIndex.build(report.catalog.services.values())
build = time.perf_counter() - t
queries = json.loads(sys.argv[2])
latencies = []
for q in queries:
    t = time.perf_counter()
    index.search(q, lang="pt-PT")
    latencies.append(time.perf_counter() - t)
print(json.dumps({"services": len(report.catalog.services), "problems": len(report.problems), "load": seconds,
                  "build": build, "latencies": latencies}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    queries = [QUERIES[i % len(QUERIES)] for i in range(args.queries)]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "catalog"
        folder.mkdir()
        started = time.perf_counter()
        generate(folder, args.services)
        print(f"generated {args.services} services in {time.perf_counter() - started:.1f} s")
        cache = Path(scratch) / "cache" / "catalog.pickle"
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-c", CHILD, str(folder), json.dumps(queries), str(cache)],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in ("cold", "warm")
        ]
    cold, figures = runs
    latencies = sorted(figures["latencies"])
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    print(f"loaded {figures['services']} services ({figures['problems']} problems)")
    print(f"index built in {figures['build']:.2f} s; search p50 {p50:.1f} ms")
    print(f"cold load {cold['load']:.2f} s  warm load {figures['load']:.2f} s  search p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
