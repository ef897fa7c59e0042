"""Benchmark the CSV routes on a real uvicorn process: `python -m bench.spreadsheets --help`.

Runs harness.spreadsheets' `measure()` (the export at 10, 10,000 and N products, default
100,000; the import of M rows, default 20,000, new, changed and unchanged) on the database
`inventory_bench_spreadsheets` and prints one markdown table of times and the server's peak RSS.
"""

import argparse

from bench.database import ensure_database, say
from harness.spreadsheets import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="inventory_bench_spreadsheets")
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=20_000)
    arguments = parser.parse_args()
    urls = ensure_database(arguments.database)
    say("Measuring the CSV export and import ...")
    print("| step | seconds | server peak RSS MiB | answer |\n|---|---:|---:|---|")
    for step in measure(urls.serving, urls.owner, arguments.export_rows, arguments.import_rows):
        print(f"| {step.name} | {step.seconds:.2f} | {step.peak_rss_mib:.1f} | {step.answer} |")


if __name__ == "__main__":
    main()
