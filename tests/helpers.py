"""Shared test helpers: settings pointing at services on free ports, eventual assertions."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from canonical.plant_config import Settings, load_settings

T = TypeVar("T")


def settings_for(erp_url: str, mes_url: str, qms_url: str) -> Settings:
    """The bundled plant configuration, with every system at the given address."""
    settings = load_settings()
    data = settings.model_dump(mode="json")
    data["erp"]["base_url"] = erp_url
    for key, system in data["systems"].items():
        system["base_url"] = mes_url if system["kind"] == "reference-mes" else qms_url
        data["systems"][key] = system
    return Settings.model_validate(data)


async def eventually(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], bool],
    timeout: float = 20.0,
    interval: float = 0.05,
) -> T:
    """Poll ``probe`` until ``check`` holds; fail with the last value seen."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await probe()
        if check(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")
        await asyncio.sleep(interval)
