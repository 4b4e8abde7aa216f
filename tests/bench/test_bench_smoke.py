"""Each benchmark figure runs end to end with tiny sizes and prints both columns and their
ratio. Nothing here asserts a time: the figures are for people to read, not for CI to judge."""

import re

import pytest

from bench.__main__ import main, parser

# A row: a measure, then three numbers (first column, second column, ratio).
ROW = re.compile(
    r"^(?P<measure>.+?)\s+(?P<a>-?[\d.]+|nan)\s+(?P<b>-?[\d.]+|nan)\s+(?P<r>-?[\d.]+|nan)$"
)


def table(out: str) -> dict[str, tuple[float, float, float]]:
    """The printed rows by measure, after the header that names both columns and the ratio."""
    lines = out.splitlines()
    header = next(
        i for i, line in enumerate(lines) if line.startswith("measure ") and "ratio" in line
    )
    assert "load average" in lines[header - 1]
    rows: dict[str, tuple[float, float, float]] = {}
    for line in lines[header + 1 :]:
        match = ROW.match(line.strip())
        if not match:
            break
        rows[match["measure"].strip()] = (float(match["a"]), float(match["b"]), float(match["r"]))
    return rows


async def run(
    capsys: pytest.CaptureFixture[str], *argv: str
) -> dict[str, tuple[float, float, float]]:
    await main(parser().parse_args(list(argv)))
    out = capsys.readouterr().out
    rows = table(out)
    assert rows, out
    for measure, (first, second, ratio) in rows.items():
        assert first > 0 and second > 0, (measure, out)
        assert ratio == pytest.approx(first / second, rel=0.01, abs=0.01), (measure, out)
    return rows


async def test_throughput_prints_sagas_activities_and_cpu(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = await run(capsys, "throughput", "--sagas", "1", "--concurrency", "1", "--rounds", "1")
    assert {"sagas per second", "activities per second", "process CPU per activity [ms]"} <= set(
        rows
    )
    per_saga = rows["activities per saga"]
    assert per_saga[0] == per_saga[1]  # the baseline runs as many activities as the saga


async def test_throughput_with_a_process_per_component_prints_worker_cpu(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--sagas", "1", "--concurrency", "1", "--rounds", "1", "--processes"]
    rows = await run(capsys, "throughput", *argv)
    assert {"sagas per second", "worker CPU per activity [ms]"} <= set(rows)


async def test_holds_prints_p50_and_p99_per_level(capsys: pytest.CaptureFixture[str]) -> None:
    rows = await run(capsys, "holds", "--levels", "10")  # 10 holds: the fewest a level takes
    assert set(rows) == {f"10 at once: {p} [ms]" for p in ("p50", "p99")}


async def test_ingest_prints_distinct_and_duplicate_rates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = await run(capsys, "ingest", "--distinct", "2", "--duplicates", "3", "--concurrency", "2")
    assert set(rows) == {"distinct triggers per second", "duplicate triggers per second"}


async def test_history_prints_every_saga_type(capsys: pytest.CaptureFixture[str]) -> None:
    rows = await run(capsys, "history")
    for saga in (
        "production order, happy path",
        "finished goods release",
        "supplier receipt inspection",
    ):
        assert f"{saga}: events" in rows and f"{saga}: KiB" in rows


async def test_erp_reads_compares_a_large_erp_with_a_small_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = await run(capsys, "erp-reads", "--orders", "150", "--repeat", "2")
    assert "orders by plant and order number: p50 [ms]" in rows


def test_help_names_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    out = capsys.readouterr().out
    for figure in ("throughput", "holds", "ingest", "history", "erp-reads", "webhook-signatures"):
        assert figure in out


async def test_backlog_prints_many_sagas_against_few(capsys: pytest.CaptureFixture[str]) -> None:
    rows = await run(capsys, "backlog", "--sagas", "120", "--repeat", "2")
    assert {"backlog of one plant: p50 [ms]", "backlog of one plant: max [ms]"} <= set(rows)


async def test_console_prints_page_and_visibility_times(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = await run(capsys, "console", "--sagas", "20", "--repeat", "2")
    assert {"overview, plant P100 p50", "list on hold, P100, item FG-1003 p95"} <= {
        measure.removesuffix(" [ms]") for measure in rows
    }
