"""SLA alerts as durable workflows.

``SlaCheckWorkflow`` runs on a Temporal Schedule: it evaluates the plants' rules over their
backlog (an activity over visibility) and reports what it found to the ledger.
``AlertLedgerWorkflow`` (one, long-running) keeps the alerts: a finding without an open alert
fires one, an open alert whose finding is gone is resolved. Each fired and resolved event is
delivered to every channel by an activity that retries until it succeeds, so no alert is
lost; the console reads the ledger's query.
"""

import asyncio
from collections import deque
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.alerts import AlertActivities
    from workflows.alerts_messages import (
        RESOLVED_KEPT,
        Alert,
        AlertEvent,
        AlertsView,
        Channel,
        DeliveryStatus,
        EvaluateRequest,
        Finding,
        Findings,
        LedgerInput,
        Notice,
        Notification,
        Rule,
        SlaCheckInput,
    )

# Delivery retries forever, backing off to a try every 10 minutes: a receiver down for a day
# still gets every alert once it is back.
DELIVERY_RETRIES = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
    maximum_attempts=0,
)
EVALUATION_RETRIES = RetryPolicy(initial_interval=timedelta(seconds=2), maximum_attempts=3)


@workflow.defn
class SlaCheckWorkflow:
    """One evaluation of every plant's rules; the schedule starts one per check interval."""

    @workflow.run
    async def run(self, check: SlaCheckInput) -> Findings:
        findings = await workflow.execute_activity_method(
            AlertActivities.evaluate,
            EvaluateRequest(now=workflow.now(), plants=check.plants),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=EVALUATION_RETRIES,
            summary="evaluate SLA rules over the backlog",
        )
        await workflow.execute_activity_method(
            AlertActivities.report,
            findings,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=EVALUATION_RETRIES,
            summary=f"report {len(findings.findings)} finding(s) to the alert ledger",
        )
        return findings


@workflow.defn
class AlertLedgerWorkflow:
    @workflow.init
    def __init__(self, start: LedgerInput) -> None:
        self.open: dict[str, Alert] = {a.key: a for a in start.open}
        self.resolved: deque[Alert] = deque(start.resolved, maxlen=RESOLVED_KEPT)
        self.notices: deque[Alert] = deque(start.notices, maxlen=RESOLVED_KEPT)
        self.fired = start.fired
        self.fired_by = dict(start.fired_by)
        self.last_check = start.last_check
        self.continue_after = start.continue_after_events
        self.inbox: deque[Findings | Notice] = deque()
        self.sending: dict[str, Notification] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    @workflow.signal
    def findings(self, findings: Findings) -> None:
        self.inbox.append(findings)

    @workflow.signal
    def notice(self, notice: Notice) -> None:
        self.inbox.append(notice)

    @workflow.query
    def alerts(self) -> AlertsView:
        return AlertsView(
            open=sorted(self.open.values(), key=lambda a: a.fired_at),
            resolved=list(reversed(self.resolved)),
            notices=list(reversed(self.notices)),
            last_check=self.last_check,
            fired_by=dict(self.fired_by),
        )

    @workflow.run
    async def run(self, start: LedgerInput) -> None:
        for notification in start.pending:
            self._send(notification)
        while True:
            await workflow.wait_condition(lambda: bool(self.inbox) or self._history_full())
            while self.inbox:
                item = self.inbox.popleft()
                if isinstance(item, Findings):
                    self._apply(item)
                else:
                    self._notice(item)
            if self._history_full() and not self.inbox:
                # Deliveries still retrying go along and start again in the next run.
                workflow.continue_as_new(
                    LedgerInput(
                        open=list(self.open.values()),
                        resolved=list(self.resolved),
                        notices=list(self.notices),
                        pending=list(self.sending.values()),
                        fired=self.fired,
                        fired_by=self.fired_by,
                        last_check=self.last_check,
                        continue_after_events=self.continue_after,
                    )
                )

    def _history_full(self) -> bool:
        info = workflow.info()
        if self.continue_after is not None:
            return info.get_current_history_length() >= self.continue_after
        return info.is_continue_as_new_suggested()

    def _apply(self, findings: Findings) -> None:
        if self.last_check is not None and findings.checked_at < self.last_check:
            return  # a late copy of an older check
        self.last_check = findings.checked_at
        current = {f.key: f for f in findings.findings}
        for finding in current.values():
            alert = self.open.get(finding.key)
            if alert is None:
                self._fire(finding)
            else:  # still firing: keep the figures current, tell nobody again
                alert.message, alert.count = finding.message, finding.count
                alert.oldest_since = finding.oldest_since
        plants = set(findings.plants)
        for key, alert in list(self.open.items()):
            if alert.plant in plants and key not in current:
                del self.open[key]
                alert.resolved_at = workflow.now()
                self.resolved.append(alert)
                self._announce(alert, AlertEvent.RESOLVED)

    def _fire(self, finding: Finding) -> None:
        self.fired += 1
        alert = Alert(
            id=f"{finding.key}#{self.fired}",
            fired_at=workflow.now(),
            **finding.model_dump(exclude={"key"}),
            key=finding.key,
        )
        self.open[finding.key] = alert
        self._announce(alert, AlertEvent.FIRED)

    def _notice(self, notice: Notice) -> None:
        if any(n.key == notice.key for n in self.notices):
            return  # the same notice reported again (a retried activity)
        self.fired += 1
        alert = Alert(
            id=f"notice#{self.fired}",
            key=notice.key,
            plant=notice.plant,
            rule=Rule.SAGA_NOTICE,
            system=notice.kind,
            message=f"plant {notice.plant}: {notice.message}",
            fired_at=notice.at,
            workflow_id=notice.workflow_id,
        )
        self.notices.append(alert)
        self._announce(alert, AlertEvent.FIRED)

    def _announce(self, alert: Alert, event: AlertEvent) -> None:
        if event is AlertEvent.FIRED:
            counter = f"{alert.plant}:{alert.rule.value}"
            self.fired_by[counter] = self.fired_by.get(counter, 0) + 1
        for channel in Channel:
            self._send(
                Notification(alert=alert.model_copy(deep=True), event=event, channel=channel)
            )

    def _send(self, notification: Notification) -> None:
        token = f"{notification.alert.id}:{notification.delivery_key}"
        self.sending[token] = notification
        self._mark(notification, DeliveryStatus.PENDING)
        task = asyncio.create_task(self._deliver(token, notification))
        self.tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self.tasks.discard)

    async def _deliver(self, token: str, notification: Notification) -> None:
        status = await workflow.execute_activity_method(
            AlertActivities.deliver,
            notification,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=DELIVERY_RETRIES,
            summary=f"{notification.delivery_key} {notification.alert.id}",
        )
        self.sending.pop(token, None)
        self._mark(notification, status)

    def _mark(self, notification: Notification, status: DeliveryStatus) -> None:
        alert_id = notification.alert.id
        for alert in [*self.open.values(), *self.resolved, *self.notices]:
            if alert.id == alert_id:
                alert.deliveries[notification.delivery_key] = status
