"""Alert activities: evaluate the SLA rules over the backlog, report to the alert ledger,
deliver an alert event to one channel. Also the inbox sagas' notices go through."""

import hashlib
import smtplib

import httpx
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from monitoring.alert_rules import AlertsConfig, evaluate
from monitoring.backlog import backlog
from monitoring.delivery import post_webhook, send_mail
from workflows.alerts_messages import (
    LEDGER_ID,
    Channel,
    DeliveryStatus,
    EvaluateRequest,
    Findings,
    LedgerInput,
    Notice,
    Notification,
)

LEDGER_WORKFLOW = "AlertLedgerWorkflow"


class AlertInbox:
    """Signals the alert ledger, starting it if it is not running (signal-with-start), so
    neither a check nor a saga's notice depends on anything having started it before."""

    def __init__(self, client: Client, task_queue: str) -> None:
        self.client = client
        self.task_queue = task_queue

    async def send(self, signal: str, message: Findings | Notice) -> None:
        await self.client.start_workflow(
            LEDGER_WORKFLOW,
            LedgerInput(),
            id=LEDGER_ID,
            task_queue=self.task_queue,
            start_signal=signal,
            start_signal_args=[message],
            static_summary="SLA alerts: open, resolved, and their deliveries",
        )


def notice_key(workflow_id: str, kind: str, message: str) -> str:
    """The same notice from the same saga (a retried activity) is one notice."""
    digest = hashlib.sha256(message.encode()).hexdigest()[:16]
    return f"{workflow_id}:{kind}:{digest}"


class AlertActivities:
    def __init__(
        self, client: Client, config: AlertsConfig, http: httpx.AsyncClient, task_queue: str
    ) -> None:
        self.client = client
        self.config = config
        self.http = http
        self.inbox = AlertInbox(client, task_queue)

    @activity.defn(name="alerts.evaluate")
    async def evaluate(self, request: EvaluateRequest) -> Findings:
        """Every configured plant's rules over its backlog, measured against the workflow's
        clock."""
        plants = sorted(p for p in self.config.plants if not request.plants or p in request.plants)
        backlogs = await backlog(self.client, plants, request.now)
        found = [
            finding
            for plant in backlogs
            for finding in evaluate(plant, self.config.plants[plant.plant], request.now)
        ]
        return Findings(checked_at=request.now, plants=plants, findings=found)

    @activity.defn(name="alerts.report")
    async def report(self, findings: Findings) -> None:
        await self.inbox.send("findings", findings)

    @activity.defn(name="alerts.deliver")
    async def deliver(self, notification: Notification) -> DeliveryStatus:
        """Send one event to one channel; a failure raises and the activity retries."""
        delivery = self.config.delivery
        alert, event = notification.alert, notification.event
        configured = delivery.webhook if notification.channel is Channel.WEBHOOK else delivery.email
        if not configured:
            return DeliveryStatus.NOT_CONFIGURED
        try:
            if notification.channel is Channel.WEBHOOK:
                await post_webhook(self.http, delivery, alert, event)
            else:
                await send_mail(delivery, alert, event)
        except (httpx.HTTPError, smtplib.SMTPException, OSError) as err:
            # Retried (the ledger's retry policy never gives up); the message says why.
            raise ApplicationError(
                f"{notification.channel.value} delivery of {alert.id} failed: {err}"[:300],
                type="AlertDeliveryFailed",
            ) from None
        activity.logger.info(
            "alert %s %s delivered by %s", alert.id, event.value, notification.channel.value
        )
        return DeliveryStatus.DELIVERED
