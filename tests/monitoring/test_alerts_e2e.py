"""SLA alerts end to end on the real dev server: a real saga's lot on hold outlasts its rule,
the Temporal Schedule's check fires the alert to a real webhook receiver and a real SMTP
server and lists it at GET /alerts; a signed disposition lifts the hold and the next check
resolves it. The saga's own notice (hold placed) arrives once too."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from monitoring.alert_rules import AlertsConfig, Delivery, PlantRules
from monitoring.schedule import ensure_sla_schedule
from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.scenario import PlantScenario
from stack.waiting import poll_until
from tests.e2e.conftest import urls
from tests.e2e.test_cli import cli
from tests.monitoring.receivers import MailBox, WebhookReceiver, smtp_server, webhook_receiver
from tests.sagas.conftest import FAST_STEPS
from tests.sagas.flows import disposition, on_hold
from workflows.alerts_messages import SCHEDULE_ID


@pytest.fixture
async def alerting(
    tmp_path: Path,
) -> AsyncIterator[tuple[Stack, WebhookReceiver, MailBox]]:
    with webhook_receiver() as webhook, smtp_server() as (box, smtp_port):
        alerts = AlertsConfig(
            check_interval=timedelta(hours=1),  # the test triggers the schedule itself
            delivery=Delivery(
                webhook_url=webhook.url,  # type: ignore[arg-type]
                smtp_host="127.0.0.1",
                smtp_port=smtp_port,
                mail_to=["quality@plant.example"],
            ),
            plants={"P100": PlantRules(hold_older_than=timedelta(seconds=1))},
        )
        options = StackOptions(
            data_dir=tmp_path,
            temporal=TemporalMode.DEV_SERVER,
            task_queue=f"alerts-{uuid.uuid4()}",
            step_policy=FAST_STEPS,
            alerts=alerts,
        )
        async with embedded_stack(options) as stack:
            yield stack, webhook, box


async def open_alerts(stack: Stack, user: str, **params: str) -> dict[str, Any]:
    response = await stack.http.get(
        f"{stack.url('gateway')}/alerts", params=params, headers=await stack.idp.headers(user)
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_hold_past_its_rule_alerts_once_and_resolves_when_lifted(
    alerting: tuple[Stack, WebhookReceiver, MailBox], tmp_path: Path
) -> None:
    stack, webhook, box = alerting
    queue = stack.services["gateway"].app.state.gateway.task_queue
    assert await ensure_sla_schedule(stack.client, queue, timedelta(hours=1)) == "created"
    assert await ensure_sla_schedule(stack.client, queue, timedelta(hours=1)) == "updated"
    schedule = stack.client.get_schedule_handle(SCHEDULE_ID)
    assert (await open_alerts(stack, "sup.king"))["open"] == []  # no check has run yet

    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    _, held = await on_hold(plant, "3500001", "B3500001")
    notice = await poll_until(webhook.received, lambda t: len(t) == 1, "the saga's notice")
    assert "saga_notice" in notice[0] and "production-order-P100-3500001" in notice[0]

    async def checked() -> list[str]:
        await schedule.trigger()
        return webhook.texts()

    def said(prefix: str) -> Any:
        return lambda texts: any(t.startswith(prefix) for t in texts)

    fired = "[plantflow] ALERT P100 hold_older_than"
    await poll_until(checked, said(fired), "the hold alert", interval=1.0)
    seen = await open_alerts(stack, "sup.king")
    [alert] = seen["open"]
    assert alert["rule"] == "hold_older_than" and alert["plant"] == "P100"
    assert alert["count"] == 1
    assert alert["oldest_since"] == held["holds"][-1]["placed_at"].replace("+00:00", "Z")
    assert seen["last_check"] is not None
    assert (await open_alerts(stack, "qa.lee", plant="P200"))["open"] == []
    # The operator CLI, as a separate process, shows the same.
    env = {
        "PLANTFLOW_TOKEN_FILE": str(tmp_path / "token.json"),
        "PLANTFLOW_OIDC_ISSUER": stack.idp.issuer,
    }
    password = stack.idp.password("sup.king") + "\n"
    code, output = await cli(
        "login", "--user", "sup.king", "--password-stdin", env=env, stdin=password
    )
    assert code == 0, output
    gateway = ["--gateway-url", stack.url("gateway")]
    code, output = await cli("alerts", "list", "--plant", "P100", *gateway, env=env)
    assert code == 0 and "hold_older_than" in output and "open" in output, output
    code, output = await cli("backlog", "--plant", "P100", *gateway, env=env)
    assert code == 0 and "lots on hold" in output, output
    forbidden = await stack.http.get(
        f"{stack.url('gateway')}/alerts",
        params={"plant": "P200"},
        headers=await stack.idp.headers("sup.king"),
    )
    assert forbidden.status_code == 403

    response = await plant.approve("3500001", disposition(held, "use_as_is"))
    assert response.status_code == 200, response.text
    await plant.wait_for_saga("3500001", lambda s: s["quality_status"] == "use_as_is", "lifted")
    resolved = "[plantflow] RESOLVED P100 hold_older_than"
    texts = await poll_until(checked, said(resolved), "the resolution", interval=1.0)
    assert sum(t.startswith(fired) for t in texts) == 1  # fired once over every check
    seen = await open_alerts(stack, "sup.king")
    assert seen["open"] == [] and [a["id"] for a in seen["resolved"]] == [alert["id"]]
    subjects = await poll_until(box.received, lambda s: len(s) == 3, "three mails")
    assert sorted(subjects) == sorted(
        [
            fired,
            resolved,
            "[plantflow] ALERT P100 saga_notice quality_hold",
        ]
    )
