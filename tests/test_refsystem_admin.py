"""Every reference system's /admin routes (seed-demo, factories, faults, ledger, outbox) answer
401 without the admin credential, and the credential is sent to /admin paths only."""

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from refsystems.common.admin import ADMIN_TOKEN_ENV, AdminAuth, AdminTokenError, admin_token
from refsystems.erp.app import create_app as create_erp
from refsystems.lims.app import create_app as create_lims
from refsystems.mes.app import create_app as create_mes
from refsystems.qms.app import create_app as create_qms
from refsystems.supplier_portal.app import create_app as create_portal
from tests.conftest import ServeFn

SYSTEMS = {
    "erp": create_erp,
    "mes": create_mes,
    "qms": create_qms,
    "lims": create_lims,
    "portal": create_portal,
}


def admin_routes(app: Any) -> list[tuple[str, str]]:
    """Every /admin operation the system serves, from its OpenAPI document."""
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "x", path))
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/admin")
        for method in operations
    ]


@pytest.mark.parametrize("system", SYSTEMS)
async def test_admin_routes_need_the_credential(
    serve: ServeFn, tmp_path: Path, client: httpx.AsyncClient, system: str
) -> None:
    app = SYSTEMS[system](str(tmp_path / f"{system}.db"))
    service = await serve(system, app)
    routes = admin_routes(app)
    assert {path for _, path in routes} >= {"/admin/ledger", "/admin/outbox", "/admin/faults"}
    async with httpx.AsyncClient(timeout=10) as anonymous:
        for method, path in routes:
            url = f"{service.url}{path}"
            bare = await anonymous.request(method, url)
            assert bare.status_code == 401, (method, path, bare.text)
            assert bare.headers["www-authenticate"] == "Bearer"
            forged = {"Authorization": "Bearer not-the-admin-token"}
            wrong = await anonymous.request(method, url, headers=forged)
            assert wrong.status_code == 401, (method, path)
        seeded = await client.post(f"{service.url}/admin/seed-demo")
        assert seeded.status_code in (200, 201), seeded.text
        assert (await client.get(f"{service.url}/admin/ledger")).status_code == 200
        assert (await anonymous.get(f"{service.url}/health")).status_code == 200


def test_the_token_goes_to_admin_paths_only() -> None:
    flow = AdminAuth("s3cret-admin-token-000")
    admin = next(flow.auth_flow(httpx.Request("GET", "http://erp/admin/ledger")))
    business = next(flow.auth_flow(httpx.Request("GET", "http://erp/sap/opu/odata/sap/X/")))
    assert admin.headers["Authorization"] == "Bearer s3cret-admin-token-000"
    assert "Authorization" not in business.headers


@pytest.mark.parametrize("token", ["short", "has a space in it ok", "tab\tin-the-token-000"])
def test_an_unusable_configured_token_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv(ADMIN_TOKEN_ENV, token)
    with pytest.raises(AdminTokenError, match=ADMIN_TOKEN_ENV):
        admin_token()


def test_an_admin_path_served_without_the_admin_prefix_is_refused_at_start(
    tmp_path: Path,
) -> None:
    """A router that spells /admin/... in its paths instead of its prefix would skip the
    credential: the system refuses to start."""
    from fastapi import APIRouter

    from refsystems.common.app import create_system_app

    sneaky = APIRouter()

    @sneaky.post("/admin/wipe")
    def wipe() -> None: ...

    with pytest.raises(RuntimeError, match=r"POST /admin/wipe is an admin route without"):
        create_system_app("x", "X", str(tmp_path / "x.db"), [], [sneaky])
