"""A real Chromium (Debian's, launched by Playwright: nothing downloads a browser) and the
embedded stack on the dev server, with fast retries and a 3-second outage budget so that a
step parks within a test."""

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack
from stack.services import bind_socket
from tests.sagas.conftest import FAST_STEPS, config_with_outage_budget

CHROMIUM = os.environ.get("PLANTFLOW_CHROMIUM", "/usr/bin/chromium")
# README screenshots: PLANTFLOW_CONSOLE_SCREENSHOTS=docs saves them there from the test run.
SCREENSHOTS = os.environ.get("PLANTFLOW_CONSOLE_SCREENSHOTS")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package chromium; scripts/bootstrap.sh)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def console_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    ui = bind_socket()
    ui_port = ui.getsockname()[1]
    ui.close()  # the dev server's Web UI takes it; the saga page links there
    options = StackOptions(
        data_dir=tmp_path,
        temporal=TemporalMode.DEV_SERVER,
        task_queue=f"console-{uuid.uuid4()}",
        step_policy=FAST_STEPS,
        config_file=config_with_outage_budget(tmp_path, "PT3S"),
        ui_port=ui_port,
    )
    async with embedded_stack(options) as running:
        yield running


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
