"""Run the reference supplier portal: ``python -m refsystems.supplier_portal``."""

import uvicorn
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from refsystems.common.outbox import signing_secret_for
from refsystems.supplier_portal.app import create_app


class PortalSettings(BaseSettings):
    """PORTAL_DB_PATH, PORTAL_HOST, PORTAL_PORT, PORTAL_WEBHOOK_URL (empty: send no webhooks)."""

    model_config = SettingsConfigDict(env_prefix="PORTAL_")
    db_path: str = "var/portal.db"
    host: str = "127.0.0.1"
    port: int = 8104
    webhook_url: str | None = "http://127.0.0.1:8100/webhooks/supplier-portal"
    # whsec_<base64>: signs outbound webhooks (Standard Webhooks); required with a webhook URL
    webhook_secret: str | None = None

    @field_validator("webhook_url")
    @classmethod
    def _empty_means_none(cls, value: str | None) -> str | None:
        return value or None


def main() -> None:
    settings = PortalSettings()
    url = settings.webhook_url
    app = create_app(
        settings.db_path, url, signing_secret_for("PORTAL", url, settings.webhook_secret)
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
