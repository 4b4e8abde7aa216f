"""Shared test helpers: settings pointing at services on free ports, eventual assertions."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from canonical.plant_config import Settings, load_settings
from stack.addresses import with_addresses
from stack.waiting import poll_until

T = TypeVar("T")


def settings_for(erp_url: str, mes_url: str, qms_url: str) -> Settings:
    """The bundled plant configuration, with every system at the given address."""
    return with_addresses(load_settings(), erp_url, mes_url, qms_url)


async def eventually(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], bool],
    timeout: float = 20.0,
    interval: float = 0.05,
) -> T:
    """Poll ``probe`` until ``check`` holds; fail with the last value seen."""
    try:
        return await poll_until(probe, check, "condition", timeout, interval)
    except TimeoutError as exc:
        raise AssertionError(str(exc)) from None
