"""Injected faults reach the adapter as SystemUnavailable (retryable), with Retry-After."""

import pytest

from adapters.errors import SystemUnavailable
from tests.mes.conftest import ORDER, Mes, dispatch_command


async def test_503_is_system_unavailable_and_nothing_is_posted(mes: Mes) -> None:
    fault = {"kind": "unavailable", "seconds": 30, "path_prefix": "/api/v1"}
    (await mes.http.post(f"{mes.url}/admin/faults", json=fault)).raise_for_status()
    with pytest.raises(SystemUnavailable, match="503"):
        await mes.adapter.dispatch_job(dispatch_command("saga:dispatch"))
    assert await mes.ledger(action="dispatch") == []
    # the retry with the same key after recovery is a first, real post
    await mes.http.delete(f"{mes.url}/admin/faults")
    receipt = await mes.adapter.dispatch_job(dispatch_command("saga:dispatch"))
    assert (receipt.document, receipt.replayed) == (ORDER, False)
    assert len(await mes.ledger(action="dispatch")) == 1


async def test_429_carries_retry_after(mes: Mes) -> None:
    fault = {"kind": "throttle", "seconds": 30, "retry_after": 2}
    (await mes.http.post(f"{mes.url}/admin/faults", json=fault)).raise_for_status()
    with pytest.raises(SystemUnavailable) as unavailable:
        await mes.adapter.get_job("P100", ORDER)
    assert unavailable.value.retry_after == 2


async def test_unreachable_mes_is_system_unavailable(mes: Mes) -> None:
    settings = mes.settings.model_dump(mode="json")
    settings["systems"]["mes-a"]["base_url"] = "http://127.0.0.1:9"
    adapter = type(mes.adapter)(type(mes.settings).model_validate(settings), mes.http)
    with pytest.raises(SystemUnavailable, match="cannot reach"):
        await adapter.dispatch_job(dispatch_command())
