"""Run the reference ERP: ``python -m refsystems.erp`` (settings from ERP_* variables)."""

import uvicorn
from pydantic_settings import BaseSettings, SettingsConfigDict

from refsystems.common.outbox import signing_secret_for
from refsystems.erp.app import create_app


class ErpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERP_")

    host: str = "127.0.0.1"
    port: int = 8101
    db_path: str = "var/erp.db"
    webhook_url: str | None = "http://127.0.0.1:8100/webhooks/erp"
    # whsec_<base64>: signs outbound webhooks (Standard Webhooks); required with a webhook URL
    webhook_secret: str | None = None
    # false: play a gateway without repeatable requests (RepeatabilityResult: unsupported)
    repeatable_requests: bool = True


def main() -> None:
    settings = ErpSettings()
    url = settings.webhook_url or None
    app = create_app(
        settings.db_path,
        url,
        signing_secret_for("ERP", url, settings.webhook_secret),
        repeatable_requests=settings.repeatable_requests,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
