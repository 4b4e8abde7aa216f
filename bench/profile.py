"""Where a plantflow run's CPU goes: per thread of this process (from /proc: the event loop,
the worker threads FastAPI runs the reference systems' synchronous routes in, the SDK core's
Rust threads), and with cProfile on the event loop's thread, its own time per package."""

import cProfile
import os
import pstats
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.harness import CLOCK_TICKS

ROOTS = ("site-packages/", f"{Path.cwd()}/", f"/python{sys.version_info[0]}.{sys.version_info[1]}/")
_OWNER = re.compile(r"of '([\w]+)")


def group_of(filename: str, name: str) -> str:
    """The package a function belongs to: the first folder under site-packages, the project
    or the standard library; for C functions, the module of the type they belong to."""
    if filename.startswith(("~", "<")):
        owner = _OWNER.search(name)
        return f"{owner.group(1) if owner else 'builtins'} (C)"
    for root in ROOTS:
        if root in filename:
            return filename.split(root, 1)[1].split("/")[0].removesuffix(".py")
    return "other"


@contextmanager
def profiled(enabled: bool) -> Iterator[cProfile.Profile | None]:
    if not enabled:
        yield None
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield profile
    finally:
        profile.disable()


def shares(profile: cProfile.Profile) -> list[tuple[str, float]]:
    """Own time per group, largest first."""
    stats = pstats.Stats(profile)
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if "epoll" in name or "thread.lock" in name:
            continue  # the event loop waiting for work, a thread waiting: idle, not CPU
        totals[group_of(filename, name)] += row[2]  # tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def print_shares(profile: cProfile.Profile, top: int = 15) -> None:
    rows = shares(profile)
    total = sum(seconds for _, seconds in rows) or 1.0
    print(
        f"\n-- the event loop thread's Python time by package (cProfile own time, {total:.1f} s;"
        " threads other than the loop's are not in it) --"
    )
    for group, seconds in rows[:top]:
        print(f"{group:24} {seconds:8.2f} s {100 * seconds / total:6.1f} %")


def thread_cpu() -> dict[str, float]:
    """CPU seconds per kind of thread of this process, from /proc/self/task."""
    me = os.getpid()
    main_name = ""
    totals: dict[str, float] = defaultdict(float)
    tasks = sorted(Path("/proc/self/task").iterdir(), key=lambda t: int(t.name) != me)
    for task in tasks:
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        if int(task.name) == me:
            main_name, kind = name, "event loop (main thread)"
        elif name == main_name:
            kind = "other Python threads (sync routes, to_thread)"
        elif name.startswith("tokio"):
            kind = "Temporal SDK core (Rust)"
        else:
            kind = name.rstrip("0123456789-_")
        totals[kind] += seconds
    return dict(totals)


def print_thread_cpu(before: dict[str, float], after: dict[str, float], activities: int) -> None:
    print("\n-- this process's CPU by thread during plantflow's rounds --")
    for kind in sorted(after, key=lambda k: -(after[k] - before.get(k, 0.0))):
        spent = after[kind] - before.get(kind, 0.0)
        if spent > 0:
            print(f"{kind:48} {spent:7.2f} s {1000 * spent / activities:7.1f} ms per activity")
