"""The demo: the embedded stack, and one order through a quality hold, rework and release."""

import asyncio
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from monitoring.alert_rules import load_alerts_config
from monitoring.schedule import ensure_sla_schedule
from stack.embedded import StackOptions, TemporalMode, embedded_stack
from stack.receiving import ReceivingScenario
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from workflows.outages import human

QUALITY_MANAGER = "qa.lee"
DEMO_PO = "4500000001"  # Acme Chemicals, RM-200, received into quality inspection


def demo_order_numbers() -> tuple[str, str]:
    """A fresh order number and output lot per run, so reruns never collide in ERP."""
    serial = f"{int(time.time()) % 1_000_000:06d}"
    return f"3{serial}", f"B3{serial}"


async def walk_order(
    scenario: PlantScenario, order_id: str, lot_id: str, say: Any, pace: float = 0.0
) -> dict[str, Any]:
    """Release, run, fail an inspection, rework, pass, finish. Returns the final saga state.

    ``pace`` pauses after each step so a person can follow along in the Web UI."""

    async def step(message: str) -> None:
        say(message)
        if pace:
            await asyncio.sleep(pace)

    await step(f"planner creates production order {order_id} (lot {lot_id}) and releases it in ERP")
    await scenario.new_order(order_id, lot_id)
    await scenario.release(order_id)
    state = await scenario.wait_for_stage(order_id, "in_progress")
    await step(f"saga {state['workflow_id']} dispatched the order to MES; MES acknowledged")

    await scenario.start_and_mix(order_id)
    await step("line started: components consumed, mixing confirmed (posted to ERP once each)")
    await scenario.measure(order_id, "S1", Decimal("15500"))
    state = await scenario.wait_for_stage(order_id, "awaiting_disposition")
    hold = state["holds"][-1]
    await step(
        f"viscosity 15500 mPa.s is out of tolerance: nonconformance {hold['nonconformance_id']}; "
        f"hold placed in ERP stock ({hold['erp_blocked']}), MES lot ({hold['mes_held']}) "
        f"and shipping ({hold['shipping_blocked']})"
    )

    response = await scenario.approve(
        order_id,
        {
            "nonconformance_id": hold["nonconformance_id"],
            "decision": "rework",
            "approver": QUALITY_MANAGER,
            "reason": "re-mix with 2% base; viscosity recoverable",
        },
    )
    response.raise_for_status()
    await step(f"{QUALITY_MANAGER} signed the disposition 'rework' over HTTP at the gateway")
    await scenario.wait_for_saga(
        order_id, lambda s: s.get("quality_status") == "in_rework", "rework to reach MES"
    )
    await scenario.measure(order_id, "S2", Decimal("12100"))
    await scenario.wait_for_saga(
        order_id, lambda s: s.get("quality_status") == "in_tolerance", "re-inspection to pass"
    )
    await step("re-inspection passed (12100 mPa.s): ERP stock and shipping released")

    await scenario.finish_line(order_id, lot_id)
    state = await scenario.wait_for_stage(order_id, "completed")
    await step(
        "filling and packing confirmed, job complete: goods received, order technically complete"
    )
    return state


async def walk_release(
    releasing: ReleaseScenario, lot_id: str, say: Any, pace: float = 0.0
) -> dict[str, Any]:
    """The finished lot's release: lab, packaging verification, signed approval."""

    async def step(message: str) -> None:
        say(message)
        if pace:
            await asyncio.sleep(pace)

    state = await releasing.wait_for_status("FG-1000", lot_id, "awaiting_checkpoints")
    pending = ", ".join(c for c, s in state["checkpoints"].items() if s["status"] == "pending")
    await step(f"release of lot {lot_id} opened: shipment blocked in ERP; waiting for {pending}")
    await releasing.lab_tests("FG-1000", lot_id)
    await step("the lab enters pH, viscosity, plate count and appearance; a reviewer authorises")
    await releasing.verify_packaging("FG-1000", lot_id)
    await step("packaging and labelling verified on the line")
    await releasing.wait_for_status("FG-1000", lot_id, "awaiting_approval")
    response = await releasing.approve("FG-1000", lot_id, approver=QUALITY_MANAGER)
    response.raise_for_status()
    state = await releasing.wait_for_status("FG-1000", lot_id, "released")
    await step(
        f"{QUALITY_MANAGER} signed the release: shipment block lifted, stock unrestricted, "
        f"certificate {state['certificate_id']} issued"
    )
    return state


async def walk_receipt(
    receiving: ReceivingScenario, lot_id: str, say: Any, pace: float = 0.0
) -> dict[str, Any]:
    """A supplier lot received into quality inspection, sampled, tested and released."""

    async def step(message: str) -> None:
        say(message)
        if pace:
            await asyncio.sleep(pace)

    await step(f"warehouse receives 20 KG of RM-200 from Acme Chemicals as lot {lot_id}")
    await receiving.receive(DEMO_PO, lot_id, 20, "KG")
    state = await receiving.wait_for_status("RM-200", lot_id, "awaiting_results", "skipped")
    plan = state["plan"]
    if plan["skipped"]:
        await step(f"supplier's record says skip this lot: {plan['reason']}")
        return state
    await step(
        f"sample plan from the supplier's record: {plan['severity']} inspection, "
        f"code {plan['code_letter']}, {plan['sample_size']} samples, "
        f"accept on {plan['accept_number']} / reject on {plan['reject_number']} defectives"
    )
    await receiving.record_samples(
        state["inspection_lot_id"], {"PH": Decimal("7.1")}, range(1, plan["sample_size"] + 1)
    )
    await step(f"the lab records pH for {plan['sample_size']} samples in QMS")
    state = await receiving.wait_for_status("RM-200", lot_id, "accepted")
    await step(f"lot accepted: {state['decision']['basis']}; stock moved to unrestricted")
    return state


async def run_demo(
    console: Console,
    data_dir: Path,
    ui_port: int,
    temporal_port: int,
    gateway_port: int,
    keep_running: bool,
    pace: float = 1.5,
) -> None:
    options = StackOptions(
        data_dir=data_dir,
        temporal=TemporalMode.DEV_SERVER,
        temporal_port=temporal_port,
        ui_port=ui_port,
        gateway_port=gateway_port,
        erp_port=gateway_port + 1,
        mes_port=gateway_port + 2,
        qms_port=gateway_port + 3,
        portal_port=gateway_port + 4,
        lims_port=gateway_port + 5,
        idp_port=gateway_port + 6,
    )
    with console.status("starting Temporal dev server, ERP, MES, QMS, gateway and worker..."):
        stack_cm = embedded_stack(options)
        stack = await stack_cm.__aenter__()
    try:
        urls = {name: stack.url(name) for name in stack.services}
        table = Table("component", "address", title="plantflow embedded stack")
        table.add_row("Temporal Web UI", f"http://127.0.0.1:{ui_port}")
        table.add_row("Temporal frontend", f"127.0.0.1:{temporal_port}")
        for name, url in urls.items():
            table.add_row(f"{name} (API docs at /docs)", url)
        table.add_row("OpenID provider (sign-in)", stack.idp.issuer)
        table.add_row("operations console", f"{urls['gateway']}/console/")
        console.print(table)
        console.print(
            f"Sign in for the CLI: starter.py login --user qa.lee --issuer {stack.idp.issuer} "
            "(demo passwords: config/idp-demo.json)"
        )
        alerts = load_alerts_config()
        await ensure_sla_schedule(stack.client, options.task_queue, alerts.check_interval)
        console.print(
            f"SLA alerts (checked every {human(alerts.check_interval)}): {urls['gateway']}/alerts; "
            f"backlog: {urls['gateway']}/backlog; metrics: {urls['gateway']}/metrics"
        )
        scenario = PlantScenario(stack.http, urls, people=stack.idp)
        await scenario.seed()
        order_id, lot_id = demo_order_numbers()
        console.print(f"Open the Web UI to watch: http://127.0.0.1:{ui_port}")
        console.print(
            f"Open the operations console: {urls['gateway']}/console/ "
            "(sign in as qa.lee / demo-lee-2026)\n"
        )
        state = await walk_order(
            scenario,
            order_id,
            lot_id,
            lambda msg: console.log(f"[bold cyan]>[/] {msg}"),
            pace,
        )
        erp_writes = await scenario.ledger("erp")
        console.print(
            f"\n[green]Saga {state['workflow_id']} completed[/]: "
            f"{len(state['postings'])} postings, "
            f"{state['duplicate_events']} duplicate MES events ignored, "
            f"{len(erp_writes)} ERP ledger entries in all."
        )
        workflows = f"http://127.0.0.1:{ui_port}/namespaces/default/workflows"
        console.print(f"Follow it in the Web UI: {workflows}/{state['workflow_id']}\n")
        release = await walk_release(
            ReleaseScenario(stack.http, urls, people=stack.idp),
            lot_id,
            lambda msg: console.log(f"[bold green]>[/] {msg}"),
            pace,
        )
        console.print(
            f"\n[green]Release {release['workflow_id']}: {release['status']}[/]. Certificate "
            f"(signed in): starter.py releases certificate P100 FG-1000 {lot_id} "
            f"--gateway-url {urls['gateway']}\n"
        )
        receipt = await walk_receipt(
            ReceivingScenario(stack.http, urls, people=stack.idp),
            f"B5{order_id[1:]}",
            lambda msg: console.log(f"[bold magenta]>[/] {msg}"),
            pace,
        )
        console.print(
            f"\n[green]Receipt inspection {receipt['workflow_id']}: {receipt['status']}[/]. "
            f"Web UI: {workflows}/{receipt['workflow_id']}"
        )
        console.print(f"All sagas of plant P100: {workflows}?query=Plant%3D%22P100%22")
        if keep_running:
            console.print("The stack keeps running; press Ctrl-C to stop everything.")
            await asyncio.Event().wait()
    finally:
        with console.status("stopping..."):
            await stack_cm.__aexit__(None, None, None)
