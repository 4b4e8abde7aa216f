"""plantflow beside the bare Temporal SDK: ``python -m bench <figure> [options]``.

Each figure runs plantflow (the embedded stack: a Temporal dev server with a SQLite file,
the reference systems, the gateway and a worker, in this process) and a bare-SDK baseline on
the same server in the same run, alternating, and prints both, their ratio and the load
average. Sizes default to about a minute per figure; the flags take bigger runs.

Figures: throughput, holds, ingest, history, erp-reads, webhook-signatures, backlog, console.
"""

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench import backlog, console, erp_reads, histories, holds, ingest, processes, throughput
from bench.harness import Bench, bench_stack
from bench.webhook_ingest import main as webhook_signatures


def levels(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    figures = root.add_subparsers(dest="figure", required=True, metavar="figure")

    fig = figures.add_parser(
        "throughput",
        help="happy-path sagas/s, activities/s and CPU per activity vs bare workflows",
    )
    fig.add_argument("--sagas", type=int, default=12, help="sagas per round (default 12)")
    fig.add_argument("--concurrency", type=int, default=6, help="sagas in flight (default 6)")
    fig.add_argument("--rounds", type=int, default=2, help="alternating rounds (default 2)")
    fig.add_argument(
        "--processes",
        action="store_true",
        help="every component in its own process (the reliability suite's process stack): "
        "plantflow's worker process against a bare worker process, each one's own CPU",
    )
    fig.add_argument(
        "--workers",
        type=int,
        default=1,
        help="with --processes: plantflow worker processes on the same task queue (default 1)",
    )
    fig.add_argument(
        "--profile",
        action="store_true",
        help="also print where plantflow's Python time goes, per package (cProfile; slower)",
    )

    fig = figures.add_parser(
        "holds", help="failing result at the gateway until ERP, MES and shipping hold"
    )
    fig.add_argument(
        "--levels", type=levels, default=[1, 10, 50], help="holds at once (default 1,10,50)"
    )
    fig.add_argument(
        "--rounds", type=int, default=1, help="rounds per level, at least 10 holds each (default 1)"
    )

    fig = figures.add_parser(
        "ingest", help="ERP release webhooks through the gateway vs raw start_workflow"
    )
    fig.add_argument("--distinct", type=int, default=40, help="distinct triggers (default 40)")
    fig.add_argument(
        "--duplicates", type=int, default=200, help="duplicates of one trigger (default 200)"
    )
    fig.add_argument("--concurrency", type=int, default=10, help="in flight (default 10)")

    figures.add_parser("history", help="history events and bytes per saga type")

    fig = figures.add_parser(
        "erp-reads", help="reference ERP OData filtered reads: many orders against 100"
    )
    fig.add_argument(
        "--orders", type=int, default=2000, help="orders in the large ERP (default 2000)"
    )
    fig.add_argument("--repeat", type=int, default=30, help="reads of each kind (default 30)")

    fig = figures.add_parser(
        "webhook-signatures", help="the signature check and replay guard, per webhook"
    )
    fig.add_argument("--count", type=int, default=2000, help="webhooks per measurement")

    fig = figures.add_parser(
        "backlog", help="the plant backlog from visibility: many running sagas against 100"
    )
    fig.add_argument(
        "--sagas", type=int, default=10000, help="sagas in the large store (default 10000)"
    )
    fig.add_argument("--repeat", type=int, default=10, help="reads of each store (default 10)")

    fig = figures.add_parser(
        "console", help="console overview and filtered lists with many sagas (render time)"
    )
    fig.add_argument(
        "--sagas",
        type=int,
        default=1000,
        help="running sagas to seed (default 1000; 10000 "
        "is the issue's figure, minutes on a shared machine)",
    )
    fig.add_argument("--repeat", type=int, default=20, help="renders of each page (default 20)")
    return root


async def with_stack(figure: Callable[[Bench], Awaitable[Any]]) -> None:
    with tempfile.TemporaryDirectory(prefix="plantflow-bench-") as tmp:
        async with bench_stack(Path(tmp)) as bench:
            await figure(bench)


async def main(args: argparse.Namespace) -> None:
    match args.figure:
        case "throughput" if args.processes:
            with tempfile.TemporaryDirectory(prefix="plantflow-bench-") as tmp:
                await processes.run(
                    Path(tmp), args.sagas, args.concurrency, args.rounds, args.workers
                )
        case "throughput":
            await with_stack(
                lambda b: throughput.run(b, args.sagas, args.concurrency, args.rounds, args.profile)
            )
        case "holds":
            await with_stack(lambda b: holds.run(b, args.levels, args.rounds))
        case "ingest":
            await with_stack(
                lambda b: ingest.run(b, args.distinct, args.duplicates, args.concurrency)
            )
        case "history":
            await with_stack(histories.run)
        case "erp-reads":
            await erp_reads.run(args.orders, args.repeat)
        case "webhook-signatures":
            await webhook_signatures(args.count)
        case "backlog":
            await backlog.run(args.sagas, args.repeat)
        case "console":
            await with_stack(lambda b: console.run(b, args.sagas, args.repeat))


if __name__ == "__main__":
    asyncio.run(main(parser().parse_args()))
