"""Sending an alert event to people: a Teams or Slack incoming webhook, and e-mail over SMTP.

Each send either succeeds or raises; the delivering activity's retries do the rest, so an
alert is never dropped. A receiver may see an event twice (a retry after a lost answer):
each message names the alert's id, and e-mails carry a Message-ID derived from it.
"""

import asyncio
import re
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime

import httpx

from monitoring.alert_rules import Delivery
from workflows.alerts_messages import Alert, AlertEvent

RESOLVED_PREFIX = "RESOLVED"
FIRED_PREFIX = "ALERT"


def headline(alert: Alert, event: AlertEvent) -> str:
    prefix = FIRED_PREFIX if event is AlertEvent.FIRED else RESOLVED_PREFIX
    return f"[plantflow] {prefix} {alert.plant} {alert.rule.value}" + (
        f" {alert.system}" if alert.system else ""
    )


def text(alert: Alert, event: AlertEvent) -> str:
    """One message for people; Teams and Slack both show a JSON body's ``text``."""
    lines = [headline(alert, event), alert.message]
    if event is AlertEvent.FIRED:
        lines.append(f"fired at {alert.fired_at:%Y-%m-%d %H:%M} UTC")
    elif alert.resolved_at is not None:
        lines.append(
            f"resolved at {alert.resolved_at:%Y-%m-%d %H:%M} UTC "
            f"(fired {alert.fired_at:%Y-%m-%d %H:%M} UTC)"
        )
    if alert.workflow_id:
        lines.append(f"saga: {alert.workflow_id}")
    lines.append(f"alert id: {alert.id}")
    return "\n".join(lines)


async def post_webhook(
    http: httpx.AsyncClient, delivery: Delivery, alert: Alert, event: AlertEvent
) -> None:
    response = await http.post(
        delivery.webhook_url.get_secret_value(),
        json={"text": text(alert, event)},
        timeout=delivery.timeout_seconds,
    )
    response.raise_for_status()


def message_id(alert: Alert, event: AlertEvent) -> str:
    """The alert id in the characters a Message-ID's left part allows."""
    return re.sub(r"[^A-Za-z0-9_.-]", ".", f"{alert.id}.{event.value}")


def message(delivery: Delivery, alert: Alert, event: AlertEvent) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = headline(alert, event)
    mail["From"] = delivery.mail_from
    mail["To"] = ", ".join(delivery.mail_to)
    mail["Date"] = format_datetime(alert.resolved_at or alert.fired_at)
    # The same event gets the same id, so a mail client can drop a retried copy.
    mail["Message-ID"] = f"<{message_id(alert, event)}@plantflow>"
    mail.set_content(text(alert, event))
    return mail


def _send_mail(delivery: Delivery, mail: EmailMessage) -> None:
    with smtplib.SMTP(
        delivery.smtp_host, delivery.smtp_port, timeout=delivery.timeout_seconds
    ) as smtp:
        if delivery.smtp_starttls:
            smtp.starttls()
        if delivery.smtp_username:
            smtp.login(delivery.smtp_username, delivery.smtp_password.get_secret_value())
        smtp.send_message(mail)


async def send_mail(delivery: Delivery, alert: Alert, event: AlertEvent) -> None:
    # smtplib is the standard library's client; it blocks, so it runs on a thread.
    await asyncio.to_thread(_send_mail, delivery, message(delivery, alert, event))
