"""The embedded stack on the Temporal dev server, run in a thread of its own with its own event
loop, so that schemathesis' synchronous test cases can call the gateway over real HTTP."""

import asyncio
import threading
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from stack.embedded import Stack, StackOptions, TemporalMode, embedded_stack

T = TypeVar("T")
START_TIMEOUT = 120


class StackInThread:
    def __init__(self, options: StackOptions):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="stack", daemon=True)
        self._context: AbstractAsyncContextManager[Stack] = embedded_stack(options)
        self.stack: Stack | None = None
        self.http = httpx.Client(timeout=30)  # for synchronous callers, one connection pool

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the stack's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(START_TIMEOUT)

    def __enter__(self) -> Stack:
        self.thread.start()
        self.stack = self.run(self._context.__aenter__())
        return self.stack

    def __exit__(self, *exc: object) -> None:
        try:
            self.run(self._context.__aexit__(None, None, None))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(START_TIMEOUT)
            self.loop.close()
            self.http.close()


@pytest.fixture(scope="package")
def threaded_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackInThread]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz-stack")
    options = StackOptions(
        data_dir=data_dir, temporal=TemporalMode.DEV_SERVER, task_queue=f"fuzz-{uuid.uuid4()}"
    )
    running = StackInThread(options)
    with running:
        yield running
