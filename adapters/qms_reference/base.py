"""What every call of the QMS adapter shares: the plant's QMS and site, and sending."""

from typing import Any

import httpx

from adapters.http import CORRELATION_HEADER, segment, send, write_headers
from adapters.qms_reference.codes import SYSTEM
from adapters.qms_reference.wire import mapping_error, refusal_code
from canonical.commands import Command
from canonical.plant_config import ConfigError, PlantConfig, Settings, UnitConversion

path = segment
"""One path segment, whatever it contains (the adapters' shared escaping)."""


class QmsAdapterBase:
    def __init__(self, settings: Settings, client: httpx.AsyncClient):
        self.settings = settings
        self.client = client

    def _plant(self, plant_id: str) -> tuple[str, PlantConfig, list[UnitConversion]]:
        try:
            plant = self.settings.plant(plant_id)
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc
        system = self.settings.systems[plant.qms]
        return str(system.base_url).rstrip("/"), plant, system.units

    async def _write(
        self, url: str, body: dict[str, Any], command: Command, method: str = "POST"
    ) -> httpx.Response:
        return await send(
            self.client,
            SYSTEM,
            method,
            url,
            refusal_code=refusal_code,
            json=body,
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )

    async def _read(self, url: str, correlation_id: str) -> httpx.Response:
        headers = {CORRELATION_HEADER: correlation_id} if correlation_id else {}
        return await send(
            self.client, SYSTEM, "GET", url, refusal_code=refusal_code, headers=headers
        )
