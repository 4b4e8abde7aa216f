"""The alert ledger on the time-skipping server, with a real webhook receiver and a real SMTP
server: an alert fires once however often its condition is found, is resolved when the
condition clears, fires anew when it returns; a webhook that is down for a while still gets
every event once; a saga's notice is delivered once even when reported twice; an alert whose
delivery is still failing when the ledger continues as new is delivered by the next run."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.alerts import AlertActivities, AlertInbox
from monitoring.alert_rules import AlertsConfig, Delivery
from stack.temporal import start_dev_server, start_time_skipping
from stack.waiting import poll_until
from tests.monitoring.receivers import MailBox, WebhookReceiver, smtp_server, webhook_receiver
from workflows.alerts import AlertLedgerWorkflow
from workflows.alerts_messages import (
    LEDGER_ID,
    AlertsView,
    Finding,
    Findings,
    LedgerInput,
    Notice,
    Rule,
)

HOLD = Finding(
    key="P100:hold_older_than",
    plant="P100",
    rule=Rule.HOLD_OLDER_THAN,
    message="plant P100: 1 lot(s) on hold, the oldest for 5h (limit 4h)",
    count=1,
)


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as receiver:
        yield receiver


@pytest.fixture
def mailbox() -> Iterator[tuple[MailBox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await start_time_skipping()
    try:
        yield environment
    finally:
        await environment.shutdown()


async def view(client: Client) -> AlertsView:
    return await client.get_workflow_handle(LEDGER_ID).query(AlertLedgerWorkflow.alerts)


async def test_fires_once_resolves_and_survives_a_webhook_outage(
    env: WorkflowEnvironment, webhook: WebhookReceiver, mailbox: tuple[MailBox, int]
) -> None:
    box, smtp_port = mailbox
    config = AlertsConfig(
        delivery=Delivery(
            webhook_url=webhook.url,  # type: ignore[arg-type]
            smtp_host="127.0.0.1",
            smtp_port=smtp_port,
            mail_from="plantflow@plant.example",
            mail_to=["quality@plant.example"],
        )
    )
    queue = f"alerts-{uuid.uuid4()}"
    async with httpx.AsyncClient() as http:
        activities = AlertActivities(env.client, config, http, queue)
        async with Worker(
            env.client,
            task_queue=queue,
            workflows=[AlertLedgerWorkflow],
            activities=[activities.deliver],
        ):
            inbox = AlertInbox(env.client, queue)
            t0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
            webhook.fail_next = 6  # the webhook is down for the first six tries
            await inbox.send("findings", Findings(checked_at=t0, plants=["P100"], findings=[HOLD]))
            await env.sleep(timedelta(hours=2))  # the retries back off; skipped time
            texts = await poll_until(
                webhook.received, lambda t: len(t) == 1, "the alert once the webhook is back"
            )
            assert webhook.refused == 6
            assert texts[0].startswith("[plantflow] ALERT P100 hold_older_than")
            assert (
                "the oldest for 5h" in texts[0] and "alert id: P100:hold_older_than#1" in texts[0]
            )
            await poll_until(box.received, lambda s: len(s) == 1, "the alert's mail")
            mail = box.messages[0]
            assert mail["To"] == "quality@plant.example"
            assert mail["Message-ID"] == "<P100.hold_older_than.1.fired@plantflow>"

            # Found again at the next checks: still one alert, nobody told twice.
            for minutes in (1, 2):
                again = Findings(
                    checked_at=t0 + timedelta(minutes=minutes), plants=["P100"], findings=[HOLD]
                )
                await inbox.send("findings", again)
            state = await poll_until(
                lambda: view(env.client),
                lambda v: v.last_check == t0 + timedelta(minutes=2),
                "the later checks applied",
            )
            [alert] = state.open
            assert alert.id == "P100:hold_older_than#1"
            assert alert.deliveries == {"fired:webhook": "delivered", "fired:email": "delivered"}

            # The hold is lifted: resolved, and both channels are told.
            cleared = Findings(checked_at=t0 + timedelta(minutes=3), plants=["P100"])
            await inbox.send("findings", cleared)
            await poll_until(webhook.received, lambda t: len(t) == 2, "the resolution")
            assert webhook.texts()[1].startswith("[plantflow] RESOLVED P100 hold_older_than")
            await poll_until(box.received, lambda s: len(s) == 2, "resolution mail")
            state = await view(env.client)
            assert state.open == [] and [a.id for a in state.resolved] == [alert.id]

            # A check of another plant only leaves P100's alerts alone.
            back = Findings(checked_at=t0 + timedelta(minutes=4), plants=["P100"], findings=[HOLD])
            await inbox.send("findings", back)
            await inbox.send(
                "findings", Findings(checked_at=t0 + timedelta(minutes=5), plants=["P200"])
            )
            state = await poll_until(
                lambda: view(env.client),
                lambda v: v.last_check == t0 + timedelta(minutes=5),
                "both checks applied",
            )
            assert [a.id for a in state.open] == ["P100:hold_older_than#2"]  # fired anew

            # A saga's notice reported twice (a retried activity) is delivered once.
            notice = Notice(
                key="production-order-P100-1:quality_hold:abc",
                workflow_id="production-order-P100-1",
                plant="P100",
                kind="quality_hold",
                message="lot B1 on hold: nonconformance QN1",
                at=t0,
            )
            await inbox.send("notice", notice)
            await inbox.send("notice", notice)
            await poll_until(webhook.received, lambda t: len(t) == 4, "the notice")
            state = await view(env.client)
            assert [n.workflow_id for n in state.notices] == ["production-order-P100-1"]
            assert "saga: production-order-P100-1" in webhook.texts()[3]
            await poll_until(box.received, lambda s: len(s) == 4, "all mails")
            assert sum("saga_notice" in t for t in webhook.texts()) == 1


@pytest.fixture
async def dev_env(tmp_path: Path) -> AsyncIterator[WorkflowEnvironment]:
    environment = await start_dev_server(tmp_path / "temporal.db")
    try:
        yield environment
    finally:
        await environment.shutdown()


async def test_an_undelivered_alert_survives_continue_as_new(
    dev_env: WorkflowEnvironment, webhook: WebhookReceiver
) -> None:
    """On the dev server (the time-skipping server's sleep timed out once the ledger had
    continued as new with a retrying delivery); the next attempt comes within 5 s."""
    env = dev_env
    config = AlertsConfig(delivery=Delivery(webhook_url=webhook.url))  # type: ignore[arg-type]
    queue = f"alerts-{uuid.uuid4()}"
    async with httpx.AsyncClient() as http:
        activities = AlertActivities(env.client, config, http, queue)
        async with Worker(
            env.client,
            task_queue=queue,
            workflows=[AlertLedgerWorkflow],
            activities=[activities.deliver],
        ):
            handle = await env.client.start_workflow(
                AlertLedgerWorkflow.run,
                LedgerInput(continue_after_events=30),
                id=LEDGER_ID,
                task_queue=queue,
            )
            first_run = handle.result_run_id
            webhook.fail_next = 10**6  # the webhook is down until further notice
            inbox = AlertInbox(env.client, queue)
            t0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
            for minutes in range(12):  # every check finds the hold again: history grows
                found = Findings(
                    checked_at=t0 + timedelta(minutes=minutes), plants=["P100"], findings=[HOLD]
                )
                await inbox.send("findings", found)

            async def latest_run() -> str:
                return (await env.client.get_workflow_handle(LEDGER_ID).describe()).run_id

            await poll_until(latest_run, lambda run: run != first_run, "continued as new")
            state = await view(env.client)
            [alert] = state.open
            assert alert.id == "P100:hold_older_than#1"
            assert alert.deliveries["fired:webhook"] == "pending"
            assert webhook.texts() == []

            webhook.fail_next = 0  # back: the next run's next attempt gets through
            texts = await poll_until(webhook.received, lambda t: len(t) >= 1, "the alert")
            state = await poll_until(
                lambda: view(env.client),
                lambda v: v.open[0].deliveries["fired:webhook"] == "delivered",
                "delivered in the new run",
            )
            assert [a.id for a in state.open] == ["P100:hold_older_than#1"]
            assert len(texts) == 1 and "P100:hold_older_than#1" in texts[0]
