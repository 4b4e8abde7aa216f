"""Run the reference QMS: ``python -m refsystems.qms`` (settings from QMS_* variables)."""

import uvicorn
from pydantic_settings import BaseSettings, SettingsConfigDict

from refsystems.common.outbox import signing_secret_for
from refsystems.qms.app import create_app


class QmsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QMS_")

    host: str = "127.0.0.1"
    port: int = 8103
    db_path: str = "var/qms.db"
    webhook_url: str | None = "http://127.0.0.1:8100/webhooks/qms"
    # whsec_<base64>: signs outbound webhooks (Standard Webhooks); required with a webhook URL
    webhook_secret: str | None = None


def main() -> None:
    settings = QmsSettings()
    url = settings.webhook_url or None
    app = create_app(settings.db_path, url, signing_secret_for("QMS", url, settings.webhook_secret))
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
