import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack


@pytest.fixture
async def dev_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The embedded stack on the real Temporal dev server (SQLite file in tmp_path)."""
    options = StackOptions(
        data_dir=tmp_path, temporal=TemporalMode.DEV_SERVER, task_queue=f"e2e-{uuid.uuid4()}"
    )
    async with embedded_stack(options) as running:
        yield running


def urls(stack: Stack) -> dict[str, str]:
    return {name: stack.url(name) for name in stack.services}
