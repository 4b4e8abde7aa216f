"""Every business route wants a valid token of a plant's person: 401 says what is wrong with
the token, 403 which check the person failed, and neither reaches Temporal. Tokens come from
the stack's real OpenID provider (or an attacker's key); the gateway's production path
validates them."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.identity import TokenVerifier
from gateway.identity_settings import IdentitySettings
from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.gateway.support import new_order_id
from tests.sagas.flows import disposition, on_hold
from tests.tokens import (
    SHORT_LIVED_CLIENT,
    bearer,
    claims_like,
    forged,
    provider_behind,
    provider_kid,
)

ORDER = "3100001"
RETRY = {"action": "retry", "reason": "ERP is back"}
COMPENSATE = {"action": "compensate", "reason": "order cancelled by planning"}
SIGN_DISPOSITION = {"nonconformance_id": "QN1", "decision": "rework", "reason": "re-mix it"}
OVERRIDE = {"decision": "accept", "reason": "certificate of conformance reviewed"}
APPROVAL = {"verdict": "approve", "reason": "batch record reviewed"}

# (route family, method, path, body)
ROUTES: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("order state", "GET", f"/production-orders/P100/{ORDER}", None),
    ("order listing", "GET", "/production-orders?plant=P100", None),
    ("disposition", "POST", f"/production-orders/P100/{ORDER}/disposition", SIGN_DISPOSITION),
    ("order attention", "POST", f"/production-orders/P100/{ORDER}/attention", RETRY),
    ("receipt state", "GET", "/receipts/P100/RM-200/B5000001", None),
    ("receipt listing", "GET", "/receipts?plant=P100", None),
    ("receipt override", "POST", "/receipts/P100/RM-200/B5000001/override", OVERRIDE),
    ("receipt attention", "POST", "/receipts/P100/RM-200/B5000001/attention", COMPENSATE),
    ("release state", "GET", "/releases/P100/FG-1000/B1000001", None),
    ("release audit", "GET", "/releases/P100/FG-1000/B1000001/audit", None),
    ("release listing", "GET", "/releases?plant=P100", None),
    ("certificate", "GET", "/releases/P100/FG-1000/B1000001/certificate", None),
    ("release approval", "POST", "/releases/P100/FG-1000/B1000001/approval", APPROVAL),
    ("release reconcile", "POST", "/releases/P100/FG-1000/B1000001/reconcile", None),
    ("release attention", "POST", "/releases/P100/FG-1000/B1000001/attention", RETRY),
]
# The operator desk of every saga type (plant in the query, the saga id or the body).
DESK = "/attention/sagas/production-order-P100-3100001"
ATTENTION_ROUTES: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("parked listing", "GET", "/attention?plant=P100", None),
    ("desk", "GET", DESK, None),
    ("desk action", "POST", DESK, RETRY),
    ("bulk action", "POST", "/attention/bulk", {**RETRY, "plant": "P100"}),
]
SIGNING = {"disposition", "receipt override", "release approval"}
RESOLVING = {"order attention", "receipt attention", "release attention"}
BAD_TOKENS = ["missing_token", "expired_token", "wrong_audience", "wrong_issuer", "bad_signature"]


@pytest.fixture(scope="module")
async def bad_tokens(stack: Stack) -> AsyncIterator[dict[str, dict[str, str]]]:
    """Tokens the gateway must refuse, by the error it must name, plus a genuine but stale
    one (a login 7 minutes ago) under ``reauthentication_required``."""
    idp = stack.idp
    kid = provider_kid(idp, stack.data_dir)
    async with provider_behind(idp, stack.data_dir, seconds=420) as behind:
        stale = await behind.login("qa.lee")
        expired = await behind.login("qa.lee", client_id=SHORT_LIVED_CLIENT)
    other_audience = await idp.login("qa.lee", resource="urn:plantflow:reports")
    yield {
        "missing_token": {},
        "expired_token": expired.authorization,
        "wrong_audience": other_audience.authorization,
        "wrong_issuer": bearer(
            forged(claims_like(idp, "qa.lee", iss="https://login.example.com/realms/x"), kid)
        ),
        "bad_signature": bearer(forged(claims_like(idp, "qa.lee"), kid)),
        "reauthentication_required": stale.authorization,
    }


async def call(
    stack: Stack, method: str, path: str, body: Any, headers: dict[str, str]
) -> httpx.Response:
    return await stack.http.request(method, stack.url("gateway") + path, json=body, headers=headers)


@pytest.mark.parametrize("error", BAD_TOKENS)
@pytest.mark.parametrize(
    ("family", "method", "path", "body"),
    ROUTES + ATTENTION_ROUTES,
    ids=[r[0] for r in ROUTES + ATTENTION_ROUTES],
)
async def test_a_route_without_a_valid_token_is_a_401_that_says_why(
    stack: Stack,
    bad_tokens: dict[str, dict[str, str]],
    error: str,
    family: str,
    method: str,
    path: str,
    body: Any,
) -> None:
    response = await call(stack, method, path, body, bad_tokens[error])
    assert response.status_code == 401, response.text
    assert response.json()["detail"]["error"] == error
    assert response.json()["detail"]["message"]
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_token_that_is_not_a_bearer_jwt_is_a_401(stack: Stack) -> None:
    for header in ("Basic cWEubGVlOnB3", "Bearer not-a-jwt", "Bearer a.b.c"):
        response = await call(stack, "GET", ROUTES[0][2], None, {"Authorization": header})
        assert response.status_code == 401, (header, response.text)


@pytest.mark.parametrize(("family", "method", "path", "body"), ROUTES, ids=[r[0] for r in ROUTES])
async def test_a_person_of_another_plant_is_a_403_naming_the_plant(
    stack: Stack, family: str, method: str, path: str, body: Any
) -> None:
    """qa.ortiz is one of P100's people only (P200's lots follow its own pattern)."""
    in_p200 = path.replace("P100", "P200").replace("B5000001", "R500001")
    in_p200 = in_p200.replace("B1000001", "R100001")
    response = await call(stack, method, in_p200, body, await stack.idp.headers("qa.ortiz"))
    assert response.status_code == 403, response.text
    detail = response.json()["detail"]
    assert detail["error"] == "not_in_plant"
    assert "qa.ortiz is not one of plant P200's people" in detail["message"]


@pytest.mark.parametrize(
    ("family", "method", "path", "body"),
    [r for r in ROUTES if r[0] in SIGNING | RESOLVING],
    ids=[r[0] for r in ROUTES if r[0] in SIGNING | RESOLVING],
)
async def test_a_person_without_the_role_is_a_403_naming_the_roles(
    stack: Stack, family: str, method: str, path: str, body: Any
) -> None:
    """A supervisor may not sign; a quality engineer may not retry or compensate."""
    user = "sup.king" if family in SIGNING else "qa.ortiz"
    response = await call(stack, method, path, body, await stack.idp.headers(user))
    assert response.status_code == 403, response.text
    detail = response.json()["detail"]
    assert detail["error"] == "insufficient_role"
    needed = "quality_engineer, quality_manager" if family in SIGNING else "quality_manager"
    assert needed in detail["message"] and user in detail["message"]


async def test_a_person_outside_every_plant_may_not_read(stack: Stack) -> None:
    response = await call(stack, "GET", ROUTES[0][2], None, await stack.idp.headers("op.nguyen"))
    assert response.status_code == 403
    assert response.json()["detail"]["error"] == "not_in_plant"


async def test_a_body_naming_its_actor_is_refused(stack: Stack) -> None:
    """The actor comes from the token only; a body that still names one is a 422."""
    body = {**SIGN_DISPOSITION, "approver": "qa.lee"}
    path = f"/production-orders/P100/{new_order_id()}/disposition"
    response = await call(stack, "POST", path, body, await stack.idp.headers("qa.lee"))
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "approver"]]


async def test_refused_callers_change_nothing_in_a_saga_on_hold(
    stack: Stack, plant: PlantScenario, bad_tokens: dict[str, dict[str, str]]
) -> None:
    """Every refused disposition (bad token, stale login, wrong plant or role) leaves the
    saga waiting with no decision and not one more event in its history."""
    order_id = new_order_id()
    _, state = await on_hold(plant, order_id, f"B{order_id}")
    body = {k: v for k, v in disposition(state, "use_as_is").items() if k != "approver"}
    handle = stack.client.get_workflow_handle(state["workflow_id"])
    events_before = (await handle.describe()).raw_description.workflow_execution_info
    attempts = [(error, headers) for error, headers in bad_tokens.items()] + [
        ("insufficient_role", await stack.idp.headers("sup.king")),
        ("not_in_plant", await stack.idp.headers("op.nguyen")),
    ]
    for error, headers in attempts:
        response = await call(
            stack, "POST", f"/production-orders/P100/{order_id}/disposition", body, headers
        )
        assert response.status_code in (401, 403), (error, response.text)
        assert response.json()["detail"]["error"] == error
    after = await plant.saga(order_id)
    assert after["stage"] == "awaiting_disposition"
    assert after["holds"][-1]["decision"] is None
    events_after = (await handle.describe()).raw_description.workflow_execution_info
    assert events_after.history_length == events_before.history_length


@pytest.mark.parametrize(
    ("family", "method", "path", "body"), [r for r in ROUTES if r[0] in SIGNING]
)
async def test_a_signature_with_a_stale_login_asks_for_a_fresh_one(
    stack: Stack,
    bad_tokens: dict[str, dict[str, str]],
    family: str,
    method: str,
    path: str,
    body: Any,
) -> None:
    """A genuine token whose login is 7 minutes old may read, but not sign (RFC 9470)."""
    stale = bad_tokens["reauthentication_required"]
    read = await call(stack, "GET", ROUTES[0][2], None, stale)
    assert read.status_code == 404  # past the token checks: there is no such order
    response = await call(stack, method, path, body, stale)
    assert response.status_code == 401
    assert response.json()["detail"]["error"] == "reauthentication_required"
    assert "logged in 7 minutes ago" in response.json()["detail"]["message"]
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_user_authentication"' in challenge and 'max_age="300"' in challenge


def test_a_provider_that_names_another_issuer_stops_the_gateway_at_start(stack: Stack) -> None:
    """Discovery must name the configured issuer (OpenID Discovery §4.3); an unreachable
    provider is only a warning at start (its tokens get 503 until it answers)."""
    other_name = stack.idp.issuer.replace("127.0.0.1", "localhost")
    misconfigured = TokenVerifier(IdentitySettings(issuer=other_name, audience="x"))
    with pytest.raises(RuntimeError, match="discovery document names issuer"):
        misconfigured.check_provider()
    TokenVerifier(IdentitySettings(issuer="http://127.0.0.1:9", audience="x")).check_provider()


@pytest.mark.parametrize(
    ("family", "method", "path", "body"),
    ATTENTION_ROUTES,
    ids=[r[0] for r in ATTENTION_ROUTES],
)
async def test_the_operator_desk_wants_a_plant_person_and_a_resolver(
    stack: Stack, family: str, method: str, path: str, body: Any
) -> None:
    """Reading the desk needs one of the plant's people; acting on it a supervisor or quality
    manager (a quality engineer of the plant is refused, naming the roles)."""
    outsider = await call(stack, method, path, body, await stack.idp.headers("op.nguyen"))
    assert outsider.status_code == 403, outsider.text
    assert outsider.json()["detail"]["error"] == "not_in_plant"
    engineer = await call(stack, method, path, body, await stack.idp.headers("qa.ortiz"))
    if method == "GET":
        assert engineer.status_code not in (401, 403), engineer.text
    else:
        assert engineer.status_code == 403, engineer.text
        assert "quality_manager, supervisor" in engineer.json()["detail"]["message"]
