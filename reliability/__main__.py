"""``python -m reliability run [--full] [--scenario NAME ...] [--seed N]``: scripted fault
runs against the plant as separate processes; prints a table per scenario and exits 1 when
any saga is parked for a transient reason, is left unfinished, or any posting is doubled."""

import asyncio
import random
import tempfile
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reliability.invariants import LEDGER_SYSTEMS
from reliability.runner import Result, run_scenarios
from reliability.scenarios import FULL, SCENARIOS, SHORT

app = typer.Typer(add_completion=False, help=__doc__)
console = Console(width=150)


@app.callback()
def main() -> None:
    """plantflow's reliability suite."""


@app.command("list")
def list_scenarios() -> None:
    """The scenarios and what each proves."""
    for name, scenario in SCENARIOS.items():
        console.print(f"[bold]{name}[/]: {(scenario.__doc__ or '').strip()}")


@app.command()
def run(
    full: bool = typer.Option(False, "--full", help="50 orders + 20 receipts, long faults"),
    scenario: list[str] = typer.Option(
        [], "--scenario", "-s", help=f"Run only these (repeatable): {', '.join(SCENARIOS)}"
    ),
    seed: int = typer.Option(None, help="Seed of the random fault moments (default: random)"),
    data_dir: Path = typer.Option(None, help="Where the processes keep databases and logs"),
    orders: int = typer.Option(None, help="Override the number of production orders"),
    receipts: int = typer.Option(None, help="Override the number of receipts"),
) -> None:
    """Run the fault scenarios (short version unless --full)."""
    names = scenario or list(SCENARIOS)
    for name in names:
        if name not in SCENARIOS:
            raise typer.BadParameter(f"unknown scenario {name!r}; choose from {list(SCENARIOS)}")
    sizes = FULL if full else SHORT
    if orders is not None or receipts is not None:
        from dataclasses import replace

        sizes = replace(
            sizes,
            orders=sizes.orders if orders is None else orders,
            receipts=sizes.receipts if receipts is None else receipts,
        )
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    directory = data_dir or Path(tempfile.mkdtemp(prefix="plantflow-reliability-"))
    console.print(
        f"reliability run: {'full' if full else 'short'}, seed [bold]{seed}[/], "
        f"{sizes.orders} orders + {sizes.receipts} receipts per scenario, data in {directory}"
    )
    started = time.monotonic()
    results = asyncio.run(run_scenarios(names, sizes, seed, directory, say))
    console.print(table(results, seed))
    for result in results:
        for line in result.outcome.notes:
            console.print(f"  [dim]{result.scenario}[/]: {escape(line)}")
        for line in result.outcome.problems:
            console.print(f"  [red]{result.scenario}[/]: {escape(line)}")
    console.print(f"total {time.monotonic() - started:.0f} s; repeat with --seed {seed}")
    if not all(result.outcome.ok for result in results):
        raise typer.Exit(1)


def say(message: str) -> None:
    """Progress as it happens, also when the output goes to a file."""
    console.log(escape(message))
    console.file.flush()


def table(results: list[Result], seed: int) -> Table:
    grid = Table(title=f"plantflow reliability (seed {seed})")
    for column in (
        "scenario",
        "started",
        "completed",
        "parked business",
        "parked transient",
        "unfinished",
        *(f"dup {s}" for s in LEDGER_SYSTEMS),
        "seconds",
        "verdict",
    ):
        grid.add_column(
            column,
            justify="left" if column == "scenario" else "right",
            no_wrap=column == "scenario",
        )
    for result in results:
        o = result.outcome
        grid.add_row(
            result.scenario,
            str(o.started),
            str(o.completed),
            str(o.parked_business),
            str(o.parked_transient),
            str(o.unfinished),
            *(str(o.duplicates.get(s, 0)) for s in LEDGER_SYSTEMS),
            f"{o.seconds:.0f}",
            "[green]ok[/]" if o.ok else "[red]FAIL[/]",
        )
    return grid


if __name__ == "__main__":
    app()
