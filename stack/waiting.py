"""Waiting for a condition by polling: for the demo's progress and for tests, never sleeps
that guess how long something takes."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def poll_until(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], bool],
    what: str,
    timeout: float = 60.0,
    interval: float = 0.1,
) -> T:
    """Call ``probe`` until ``check`` holds; a TimeoutError names ``what`` and the last value."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await probe()
        if check(value):
            return value
        if loop.time() > deadline:
            raise TimeoutError(f"waited {timeout}s for {what}; last seen: {value!r}")
        await asyncio.sleep(interval)
