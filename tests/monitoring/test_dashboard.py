"""The Grafana dashboard (deploy/grafana/) is valid JSON, and every plantflow metric its
panels query is one the gateway exposes (the SDK's are checked against a real scrape in
test_metrics.py)."""

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from monitoring.metrics import business_families
from workflows.alerts_messages import AlertsView

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "plantflow-dashboard.json"


def dashboard_metric_names() -> set[str]:
    board = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for panel in board["panels"] for t in panel["targets"]]
    return {name for expr in exprs for name in re.findall(r"\b(?:plantflow|temporal)_\w+", expr)}


def test_every_plantflow_metric_on_the_dashboard_is_exposed() -> None:
    board = json.loads(DASHBOARD.read_text())
    assert board["uid"] == "plantflow-operations"
    assert {v["name"] for v in board["templating"]["list"]} == {"datasource", "plant"}
    families = business_families([], {}, AlertsView(), datetime.now(UTC))
    exposed = {f.name + ("_total" if f.type == "counter" else "") for f in families}
    used = {n for n in dashboard_metric_names() if n.startswith("plantflow_")}
    assert used and used <= exposed, used - exposed
    # Every business figure is on the dashboard.
    assert exposed <= used, exposed - used
