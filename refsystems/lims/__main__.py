"""Run the reference LIMS: ``python -m refsystems.lims``."""

import uvicorn
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from refsystems.common.outbox import signing_secret_for
from refsystems.lims.app import create_app


class LimsSettings(BaseSettings):
    """LIMS_DB_PATH, LIMS_HOST, LIMS_PORT, LIMS_WEBHOOK_URL (empty: send no webhooks)."""

    model_config = SettingsConfigDict(env_prefix="LIMS_")
    db_path: str = "var/lims.db"
    host: str = "127.0.0.1"
    port: int = 8105
    webhook_url: str | None = "http://127.0.0.1:8100/webhooks/lims"
    # whsec_<base64>: signs outbound webhooks (Standard Webhooks); required with a webhook URL
    webhook_secret: str | None = None

    @field_validator("webhook_url")
    @classmethod
    def _empty_means_none(cls, value: str | None) -> str | None:
        return value or None


def main() -> None:
    settings = LimsSettings()
    url = settings.webhook_url
    app = create_app(
        settings.db_path, url, signing_secret_for("LIMS", url, settings.webhook_secret)
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
