"""How adapter failures become Temporal retry decisions in every activity."""

from datetime import timedelta

import pytest
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities.errors import classified
from adapters.errors import BusinessRefusal, SystemUnavailable
from canonical.plant_config import ConfigError


async def failing(error: Exception) -> None:
    raise error


async def test_an_outage_retries_after_the_system_asks() -> None:
    with pytest.raises(ApplicationError) as raised:
        await classified(failing(SystemUnavailable("erp", "throttled (429)", retry_after=2)))
    assert not raised.value.non_retryable
    assert raised.value.type == "SystemUnavailable"
    assert raised.value.next_retry_delay == timedelta(seconds=2)
    assert raised.value.details == ({"system": "erp", "reason": "throttled (429)"},)


async def test_a_failure_is_one_short_line_without_a_chain_of_causes() -> None:
    cause = SystemUnavailable("erp", "cannot reach http://erp: " + "ConnectError(...) " * 200)
    with pytest.raises(ApplicationError) as raised:
        await classified(failing(cause))
    assert len(raised.value.message) <= 310 and "\n" not in raised.value.message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    # Benign: the SDK logs it without a traceback; our one line per attempt says it instead.
    assert raised.value.category is ApplicationErrorCategory.BENIGN


async def test_a_refusal_is_final_and_keeps_the_systems_reason() -> None:
    with pytest.raises(ApplicationError) as raised:
        await classified(failing(BusinessRefusal("erp", "LotBlocked", "batch B2000002 is blocked")))
    assert raised.value.non_retryable and raised.value.type == "LotBlocked"
    assert "batch B2000002 is blocked" in raised.value.message


async def test_a_configuration_gap_is_final() -> None:
    with pytest.raises(ApplicationError) as raised:
        await classified(failing(ConfigError("no unit conversion for system unit 'LB'")))
    assert raised.value.non_retryable and raised.value.type == "MappingError"
