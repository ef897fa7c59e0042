"""Benchmark the Inventory service against a bare asyncpg reference: `python -m bench --help`.

Usually run through `bench/run.sh` (which makes .venv and installs wrk first). For each size N
it makes sure the database `inventory_bench` exists (app.provisioning.postgres), migrates it, loads
N products with generate_series (kept between runs and reused when it already holds N), then
for each workload alternates reference and service over the rounds. Every run starts a fresh
server as run.sh does in production (uvicorn with app.cli.serve's flags, no access log),
on a free loopback port, warms it up, and measures it with wrk; the server is stopped after.
Figures per run: requests/s, p50/p99 latency, non-2xx responses, the server's CPU time per
request (utime+stime of its process tree from /proc), the database's (the same, of the
PostgreSQL backends connected to the bench database: the triggers' work shows here) and the
server's peak RSS (VmHWM, largest process).
"""

# ruff: noqa: S603  (runs the project's own tools: wrk, uvicorn, py-spy, alembic)

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import make_url

from app.cli.serve import uvicorn_flags
from app.core.config import get_settings
from bench.database import ensure_database, say
from harness.database import asyncpg_dsn, truncate_tables
from harness.server import Server, serving

LUA = Path(__file__).resolve().parent / "lua"
WORKLOADS = {  # name -> (wrk script, label)
    "list": ("list.lua", "GET /products?limit=50"),
    "get": ("get.lua", "GET /products/{id}"),
    "post": ("post.lua", "POST /products"),
    "post_keyed": ("post.lua", "POST /products + Idempotency-Key"),
    "stock": ("stock.lua", "POST /products/{id}/stock"),
    "stock_keyed": ("stock.lua", "POST /products/{id}/stock + Idempotency-Key"),
    "basket": ("basket.lua", "POST /stock/batch, 5 lines"),
}
WRITES = {"post", "post_keyed", "stock", "stock_keyed", "basket"}  # cleaned up after each run
SERVICE_ONLY = {"basket"}
"""Workloads the reference does not serve: measured against the service's own five stock moves."""
BASKET_LINES = 5
KEYED = {"post_keyed", "stock_keyed"}  # each request carries an Idempotency-Key of its own
SERVERS = {"reference": "bench.reference:app", "service": "app.main:app"}
TARGETS = {"list": 0.7, "get": 0.25, "post": 0.25, "stock": 0.25}  # service/reference requests/s; keyed: none
P99_TARGET_RATIO = 4.0
"""The service's p99 latency may be at most this many times the reference's (same round)."""
RSS_TARGET_MB = 120.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the database ----------------------------------------------------------------------------


LOAD_SQL = """
INSERT INTO products (name, description, price, quantity)
SELECT 'Bench product ' || g,
       'Generated product ' || g || ', ' || md5(g::text),
       ((g * 7919) % 100000) / 100.0 + 0.99,
       (g * 31) % 500
FROM generate_series(1, $1::bigint) AS g
ORDER BY g
"""


async def load_products(url: str, n: int) -> str:
    """Make the table hold exactly the generated products 1..n; says whether it reused them."""
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        row = await connection.fetchrow(
            "SELECT count(*), min(id), max(id) FROM products WHERE name LIKE 'Bench product %'"
        )
        assert row is not None
        count, low, high = row
        if count == n and low == 1 and high == n:
            extra = await connection.execute("DELETE FROM products WHERE id > $1", n)
            await connection.execute("VACUUM (ANALYZE) products")
            return f"reused the {n:,} products already loaded ({extra.split()[-1]} leftover rows removed)"
        started = time.monotonic()
        await truncate_tables(connection, ("products",))  # and the movements
        await connection.execute(LOAD_SQL, n, timeout=1800)
        await connection.execute("VACUUM (ANALYZE) products", timeout=1800)
        high = await connection.fetchval("SELECT max(id) FROM products")
        if high != n:
            raise RuntimeError(f"loaded ids end at {high}, expected {n}")
        return f"loaded {n:,} products in {time.monotonic() - started:.1f} s"
    finally:
        await connection.close()


async def loaded_size(url: str) -> int | None:
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        high = await connection.fetchval("SELECT max(id) FROM products WHERE name LIKE 'Bench product %'")
        return int(high) if high is not None else None
    finally:
        await connection.close()


async def remove_inserted(url: str, n: int) -> None:
    """Archive what POST runs added (a deletion archives: the rows stay, out of every list and count),
    drop their idempotency keys, vacuum what stock runs left."""
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await connection.execute("DELETE FROM products WHERE id > $1", n)
        await connection.execute("TRUNCATE idempotency_keys")
        await connection.execute("VACUUM products")
    finally:
        await connection.close()


async def server_version(url: str) -> str:
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


# --- servers -------------------------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    """pid and its descendants (uvicorn --workers forks)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def database_backends(database: str) -> list[int]:
    """The PostgreSQL backends connected to `database` (a backend's title: `postgres: USER DB ...`)."""
    backends = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
                if len(title) >= 3 and title[0] == "postgres:" and title[2] == database:
                    backends.append(int(entry.name))
    return backends


def peak_rss_mb(pids: list[int]) -> float:
    """The largest VmHWM among the processes (per worker, as the target is stated)."""
    peak = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return peak / 1024


@contextlib.contextmanager
def served(kind: str, url: str, flags: list[str], log_dir: Path) -> Iterator[Server]:
    """`kind`'s app under uvicorn with the service's own flags (app.cli.serve), ready to measure."""
    with serving(
        url, app=SERVERS[kind], flags=flags, ready_path="/products?limit=1", log=log_dir / f"{kind}.log"
    ) as server:
        yield server


# --- wrk -------------------------------------------------------------------------------------


def wrk(
    server: Server, workload: str, args: argparse.Namespace, duration: float, script_args: list[str]
) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration:g}s",
        "--latency",
        f"--timeout={args.timeout:g}s",
        "-s",
        str(LUA / WORKLOADS[workload][0]),
        server.base_url,
        "--",
        *script_args,
    ]
    result = subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return dict(json.loads(line[len("BENCH_JSON ") :]))
    raise RuntimeError(f"wrk printed no summary:\n{result.stdout}")


def workload_args(workload: str, size: int, name_prefix: str) -> list[str]:
    """What a workload's wrk script takes: the id range N, or a prefix for unique names (and keys)."""
    if workload in ("get", "stock", "basket"):
        return [str(size)]
    if workload == "stock_keyed":
        return [str(size), name_prefix]
    if workload in ("post", "post_keyed"):
        return [name_prefix, *(["keyed"] if workload in KEYED else [])]
    return []


@dataclass
class Run:
    size: int
    workload: str
    server: str
    round: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    requests: int
    cpu_ms_per_request: float
    db_cpu_ms_per_request: float
    peak_rss_mb: float


def measure(
    kind: str,
    size: int,
    workload: str,
    round_: int,
    url: str,
    flags: list[str],
    args: argparse.Namespace,
    run_id: str,
    log_dir: Path,
) -> Run:
    def script_args(phase: str) -> list[str]:
        return workload_args(workload, size, f"bench-{run_id}-{size}-{kind}-r{round_}-{phase}")

    with served(kind, url, flags, log_dir) as server:
        if args.warmup > 0:
            wrk(server, workload, args, args.warmup, script_args("warm"))
        pids, backends = process_tree(server.process.pid), database_backends(make_url(url).database or "")
        cpu_before, db_cpu_before = cpu_seconds(pids), cpu_seconds(backends)
        stats = wrk(server, workload, args, args.duration, script_args("run"))
        pids = process_tree(server.process.pid)
        cpu_used = cpu_seconds(pids) - cpu_before
        db_cpu_used = cpu_seconds(backends) - db_cpu_before  # the pool's backends, open since the warm-up
        rss = peak_rss_mb(pids)
    requests = max(int(stats["requests"]), 1)
    return Run(
        size=size,
        workload=workload,
        server=kind,
        round=round_,
        rps=stats["requests"] / (stats["duration_us"] / 1e6),
        p50_ms=stats["p50_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        non_2xx=int(stats["non_2xx"]),
        socket_errors=sum(
            int(stats[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        requests=int(stats["requests"]),
        cpu_ms_per_request=cpu_used * 1000 / requests,
        db_cpu_ms_per_request=db_cpu_used * 1000 / requests,
        peak_rss_mb=rss,
    )


def profile(
    size: int, workload: str, url: str, flags: list[str], args: argparse.Namespace, run_id: str, log_dir: Path
) -> Path:
    """One extra service run under py-spy (not in the table): a speedscope profile."""
    py_spy = (
        os.environ.get("PY_SPY") or shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    )
    out = Path(args.profile) / f"service-{size}-{workload}.speedscope.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    with served("service", url, flags, log_dir) as server:
        if args.warmup > 0:
            wrk(
                server,
                workload,
                args,
                args.warmup,
                workload_args(workload, size, f"bench-{run_id}-prof-warm"),
            )
        recorder = subprocess.Popen(
            [
                py_spy,
                "record",
                "--pid",
                str(server.process.pid),
                "--subprocesses",
                "--rate",
                "200",
                "--duration",
                f"{int(args.duration)}",
                "--format",
                "speedscope",
                "--output",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wrk(
            server,
            workload,
            args,
            args.duration,
            workload_args(workload, size, f"bench-{run_id}-prof"),
        )
        recorder.wait(timeout=args.duration + 60)
    return out


# --- the report ------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(runs: list[Run], args: argparse.Namespace, notes: list[str], machine: str, command: str) -> str:
    lines = [f"Machine: {machine}", ""]
    lines += [f"- {note}" for note in notes]
    lines += [
        "",
        "Medians over the rounds. CPU = server CPU time per request; DB CPU = the database backends'"
        " CPU time per request; RSS = peak RSS of the largest server process.",
        "",
        "| rows | workload | server | requests/s | p50 ms | p99 ms | non-2xx | CPU ms/req | DB CPU ms/req"
        " | peak RSS MB |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    keys = sorted({(r.size, r.workload) for r in runs}, key=lambda k: (k[0], list(WORKLOADS).index(k[1])))
    for size, workload in keys:
        for kind in ("reference", "service"):
            group = [r for r in runs if (r.size, r.workload, r.server) == (size, workload, kind)]
            if not group:
                continue
            errors = sum(r.socket_errors for r in group)
            lines.append(
                f"| {size:,} | {WORKLOADS[workload][1]} | {kind} | {median([r.rps for r in group]):,.0f} "
                f"| {median([r.p50_ms for r in group]):.1f} | {median([r.p99_ms for r in group]):.1f} "
                f"| {sum(r.non_2xx for r in group)}{f' (+{errors} socket errors)' if errors else ''} "
                f"| {median([r.cpu_ms_per_request for r in group]):.2f} "
                f"| {median([r.db_cpu_ms_per_request for r in group]):.2f} "
                f"| {max(r.peak_rss_mb for r in group):.0f} |"
            )
    lines += [
        "",
        "Service/reference, median of the per-round ratios (requests/s; CPU per request as reference/service,"
        " so higher is better for both):",
        "",
        "| rows | workload | requests/s ratio | target | CPU ratio "
        f"| service p99 ms (<= {P99_TARGET_RATIO:g}x reference) | service RSS MB (<= 120) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size, workload in keys:
        if workload in SERVICE_ONLY:
            continue
        by_round: dict[int, dict[str, Run]] = {}
        for r in runs:
            if (r.size, r.workload) == (size, workload):
                by_round.setdefault(r.round, {})[r.server] = r
        pairs = [p for p in by_round.values() if len(p) == 2]
        ratio = median([p["service"].rps / p["reference"].rps for p in pairs])
        cpu_ratio = median(
            [p["reference"].cpu_ms_per_request / p["service"].cpu_ms_per_request for p in pairs]
        )
        p99 = median([p["service"].p99_ms for p in pairs])
        p99_ratio = median([p["service"].p99_ms / p["reference"].p99_ms for p in pairs])
        rss = max((p["service"].peak_rss_mb for p in pairs), default=float("nan"))
        target = TARGETS.get(workload)
        verdict = "" if target is None else " ok" if ratio >= target else " MISS"
        lines.append(
            f"| {size:,} | {WORKLOADS[workload][1]} | {ratio:.2f}{verdict} "
            f"| {'-' if target is None else f'>= {target}'} | {cpu_ratio:.2f} "
            f"| {p99:.1f} = {p99_ratio:.1f}x {'ok' if p99_ratio <= P99_TARGET_RATIO else 'MISS'} "
            f"| {rss:.0f} {'ok' if rss <= RSS_TARGET_MB else 'MISS'} |"
        )
    lines += basket_report(runs)
    lines += ["", "Reproduce:", "", f"    {command}"]
    return "\n".join(lines)


def basket_report(runs: list[Run]) -> list[str]:
    """A basket of 5 lines against 5 separate stock moves, per size: the basket must cost less."""
    lines = []
    for size in sorted({r.size for r in runs if r.workload == "basket"}):
        baskets = [r for r in runs if (r.size, r.workload) == (size, "basket")]
        moves = [r for r in runs if (r.size, r.workload, r.server) == (size, "stock", "service")]
        if not moves:
            continue
        basket_cpu = median([r.cpu_ms_per_request for r in baskets])
        five_cpu = BASKET_LINES * median([r.cpu_ms_per_request for r in moves])
        basket_p50 = median([r.p50_ms for r in baskets])
        five_p50 = BASKET_LINES * median([r.p50_ms for r in moves])
        lines += [
            "",
            f"A basket of {BASKET_LINES} lines against {BASKET_LINES} stock moves ({size:,} rows, service):",
            "",
            "| | server CPU ms | p50 ms (5 moves: one after another) | moves/s |",
            "|---|---:|---:|---:|",
            f"| 1 basket | {basket_cpu:.2f} | {basket_p50:.1f} "
            f"| {BASKET_LINES * median([r.rps for r in baskets]):,.0f} |",
            f"| 5 moves | {five_cpu:.2f} | {five_p50:.1f} | {median([r.rps for r in moves]):,.0f} |",
            f"| basket / 5 moves | {basket_cpu / five_cpu:.2f} {'ok' if basket_cpu < five_cpu else 'MISS'} "
            f"| {basket_p50 / five_p50:.2f} | |",
        ]
    return lines


def machine_note(pg_version: str, flags: list[str], args: argparse.Namespace) -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        memory = f", {int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.0f} GB RAM"
    return (
        f"{os.cpu_count()} CPUs ({model}){memory}; Python {sys.version.split()[0]}; PostgreSQL {pg_version}; "
        f"uvicorn flags from app.cli.serve: {' '.join(flags) or '(none: 1 worker)'}; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s after a {args.warmup:g} s warm-up"
    )


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.sh",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--sizes", default="10000,1000000", help="comma-separated row counts")
    parser.add_argument(
        "--workloads", default="list,get,post", help=f"comma-separated, from {','.join(WORKLOADS)}"
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load before each run")
    parser.add_argument("--rounds", type=int, default=3, help="reference/service pairs per workload")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=float, default=5, help="wrk per-request timeout, seconds")
    parser.add_argument("--database", default="inventory_bench", help="the benchmark database (kept)")
    parser.add_argument("--json", help="also write every run's figures to this JSON file")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="after the rounds, profile one extra service run per "
        "workload with py-spy (pip install py-spy, or PY_SPY=/path/to/py-spy) into "
        "DIR/service-N-WORKLOAD.speedscope.json",
    )
    args = parser.parse_args(argv)
    args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    args.workload_list = [w for w in args.workloads.split(",") if w]
    unknown = set(args.workload_list) - set(WORKLOADS)
    if unknown or not args.size_list or args.rounds < 1:
        parser.error(f"bad --workloads/--sizes/--rounds ({', '.join(sorted(unknown))})")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        say(
            "Error: the load generator wrk is not installed. On Debian/Ubuntu: sudo apt-get install wrk"
            " (bench/run.sh installs it by itself when run as root)."
        )
        return 1
    started = time.monotonic()
    urls = ensure_database(args.database)
    url, owner = urls.serving, urls.owner
    flags = uvicorn_flags(get_settings())
    machine = machine_note(asyncio.run(server_version(owner)), flags, args)
    say(f"Machine: {machine}")
    run_id = secrets.token_hex(4)
    log_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"inventory-bench-{run_id}"  # noqa: S108
    log_dir.mkdir(parents=True, exist_ok=True)
    # Start with the size already loaded, if any, so that it is reused rather than reloaded.
    current = asyncio.run(loaded_size(owner))
    order = sorted(args.size_list, key=lambda n: (n != current, args.size_list.index(n)))
    runs: list[Run] = []
    notes: list[str] = []
    profiles: list[Path] = []
    for size in order:
        say(f"Preparing {size:,} products ...")
        note = asyncio.run(load_products(owner, size))
        notes.append(f"{size:,} rows: {note}")
        say(f"  {note}")
        for workload in args.workload_list:
            for round_ in range(1, args.rounds + 1):
                kinds = ("reference", "service") if round_ % 2 else ("service", "reference")
                for kind in ("service",) if workload in SERVICE_ONLY else kinds:
                    run = measure(kind, size, workload, round_, url, flags, args, run_id, log_dir)
                    runs.append(run)
                    say(
                        f"  {size:>9,} {workload:<4} round {round_} {kind:<9} {run.rps:9,.0f} req/s  "
                        f"p50 {run.p50_ms:6.1f} ms  p99 {run.p99_ms:6.1f} ms  non-2xx {run.non_2xx}  "
                        f"CPU {run.cpu_ms_per_request:.2f} ms/req  "
                        f"DB CPU {run.db_cpu_ms_per_request:.2f} ms/req  "
                        f"RSS {run.peak_rss_mb:.0f} MB"
                    )
                    if workload in WRITES:
                        asyncio.run(remove_inserted(owner, size))
            if args.profile:
                profiles.append(profile(size, workload, url, flags, args, run_id, log_dir))
                say(f"  profile: {profiles[-1]}")
                if workload in WRITES:
                    asyncio.run(remove_inserted(owner, size))
    command = "bench/run.sh " + shlex.join(
        [
            "--sizes",
            ",".join(map(str, args.size_list)),
            "--workloads",
            ",".join(args.workload_list),
            "--duration",
            f"{args.duration:g}",
            "--warmup",
            f"{args.warmup:g}",
            "--rounds",
            str(args.rounds),
            "--connections",
            str(args.connections),
            "--threads",
            str(args.threads),
        ]
    )
    text = report(runs, args, notes, machine, command)
    print(text)
    if profiles:
        print("\nProfiles (open in https://www.speedscope.app or `python -m bench.profile_summary FILE`):")
        print("\n".join(f"    {p}" for p in profiles))
    say(f"\nDone in {(time.monotonic() - started) / 60:.1f} min; server logs in {log_dir}.")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"machine": machine, "command": command, "notes": notes, "runs": [asdict(r) for r in runs]},
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
