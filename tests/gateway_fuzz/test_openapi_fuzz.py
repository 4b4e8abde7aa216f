"""A bounded schemathesis run against the gateway's own OpenAPI document, over real HTTP, with
the reference systems and the Temporal dev server behind it: no answer is a 5xx, every answer
is declared (status, content type, body schema), and nothing it sent started a workflow."""

from typing import cast

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from temporalio.client import Client

from canonical.plant_config import load_settings
from gateway.app import create_app
from tests.gateway_fuzz.conftest import StackInThread

# Bounded so the run takes well under a minute on a shared 2-core machine.
EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The document the gateway serves, built from the same code (no Temporal needed to describe it).
schema = schemathesis.openapi.from_dict(create_app(cast(Client, None), load_settings()).openapi())
# Valid and invalid inputs alike (wrong types, missing fields, NUL bytes, odd headers).
schema.config.generation.update(modes=list(GenerationMode), allow_x00=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_gateway_answers_every_input_as_declared(
    case: schemathesis.Case, threaded_stack: StackInThread
) -> None:
    assert threaded_stack.stack is not None
    case.call_and_validate(base_url=threaded_stack.stack.url("gateway"), checks=CHECKS)


def test_the_fuzzing_started_no_workflow(threaded_stack: StackInThread) -> None:
    """Runs after the cases above (pytest keeps a module's order)."""
    stack = threaded_stack.stack
    assert stack is not None

    async def started() -> list[str]:
        return [wf.id async for wf in stack.client.list_workflows()]

    assert threaded_stack.run(started()) == []
