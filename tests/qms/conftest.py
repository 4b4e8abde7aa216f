"""A real reference QMS on a free port (tmp database, demo plans seeded), a webhook receiver
that records what the QMS's outbox delivers, and the adapter and inspector pointing at it."""

from pathlib import Path

import httpx
import pytest

from adapters.qms_reference import ReferenceQmsAdapter
from canonical.plant_config import Settings
from refsystems.qms.app import create_app
from refsystems.qms.inspector import Inspector
from stack.services import RunningService
from tests.conftest import ServeFn
from tests.helpers import settings_for
from tests.systems import NOWHERE, Hooks, start_seeded, webhook_receiver


@pytest.fixture
async def hooks(serve: ServeFn) -> Hooks:
    return await webhook_receiver(serve, "/webhooks/qms")


async def start_qms(
    serve: ServeFn, db_path: str, client: httpx.AsyncClient, webhook_url: str | None = None
) -> RunningService:
    return await start_seeded(serve, "qms", create_app(db_path, webhook_url), client)


@pytest.fixture
async def qms(serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient) -> RunningService:
    """The QMS, seeded, with no webhook receiver (its outbox just keeps the events)."""
    return await start_qms(serve, str(tmp_path / "qms.db"), client)


@pytest.fixture
async def qms_hooked(
    serve: ServeFn, tmp_path: Path, hooks: Hooks, client: httpx.AsyncClient
) -> RunningService:
    """The QMS delivering its events to ``hooks``."""
    return await start_qms(serve, str(tmp_path / "qms.db"), client, hooks.url)


@pytest.fixture
def settings(qms: RunningService) -> Settings:
    return settings_for(NOWHERE, NOWHERE, qms.url)


@pytest.fixture
def adapter(settings: Settings, client: httpx.AsyncClient) -> ReferenceQmsAdapter:
    return ReferenceQmsAdapter(settings, client)


@pytest.fixture
def inspector(qms: RunningService, client: httpx.AsyncClient) -> Inspector:
    return Inspector(qms.url, client, user="op.nguyen")
