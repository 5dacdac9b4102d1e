#!/usr/bin/env python3
"""The seed tutorial's workload at scale on CPython asyncio, the anchor of scenario 3.

N workers go through asyncio.Semaphore(permits); each acquires, yields once while holding
(`await asyncio.sleep(0)`) and releases; asyncio.gather waits for all of them. The JMH
SeedWorkloadBenchmark runs the same workload on the JVM. Prints one line per worker count and,
with --json, writes the measurements for the benchmark report.
"""

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time


async def worker(semaphore):
    async with semaphore:
        await asyncio.sleep(0)


async def run(workers, permits):
    semaphore = asyncio.Semaphore(permits)
    await asyncio.gather(*(worker(semaphore) for _ in range(workers)))


def measure(workers, permits, runs):
    """Median workers per second over `runs` timed runs, after one untimed warm-up run."""
    asyncio.run(run(workers, permits))
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        asyncio.run(run(workers, permits))
        rates.append(workers / (time.perf_counter() - start))
    return statistics.median(rates), rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--permits", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.permits <= 0 or args.runs <= 0 or any(n <= 0 for n in args.workers):
        parser.error("--workers, --permits and --runs must be positive")

    results = []
    for workers in args.workers:
        median, rates = measure(workers, args.permits, args.runs)
        results.append({"workers": workers, "permits": args.permits,
                        "workersPerSecond": median, "runs": rates})
        print(f"asyncio workers={workers} permits={args.permits}: {median:,.0f} workers/s "
              f"(median of {args.runs}: {', '.join(f'{r:,.0f}' for r in rates)})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"python": sys.version.split()[0], "implementation": platform.python_implementation(),
                       "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
