"""The demo: the embedded stack, and one order through a quality hold, rework and release."""

import asyncio
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
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


HOLD_PLACES = {
    "erp_blocked": "ERP stock",
    "mes_held": "the MES lot",
    "shipping_blocked": "outbound shipping",
}


def hold_sentence(hold: dict[str, Any]) -> str:
    """Where the hold stands, in words: "hold placed on ERP stock, the MES lot and outbound
    shipping", naming any place it has not reached yet."""
    placed = [place for flag, place in HOLD_PLACES.items() if hold.get(flag)]
    missing = [place for flag, place in HOLD_PLACES.items() if not hold.get(flag)]
    sentence = f"hold placed on {_and(placed)}" if placed else "hold not placed yet"
    return sentence + (f" (not yet on {_and(missing)})" if placed and missing else "")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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
        f"{hold_sentence(hold)}"
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


@dataclass(frozen=True)
class DemoPorts:
    """The demo's ports: the reference systems and the sign-in follow the gateway's."""

    temporal: int = 7233
    ui: int = 8233
    gateway: int = 8100

    def all(self) -> list[int]:
        return [self.temporal, self.ui, *range(self.gateway, self.gateway + 7)]


def stop_on_signals(console: Console) -> None:
    """SIGINT and SIGTERM cancel the demo once, so its ``finally`` stops everything it started
    (the Temporal dev server included); a second signal does not cut that short."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    received: list[str] = []

    def stop(name: str) -> None:
        if not received:
            console.print(f"\n{name}: stopping everything the demo started")
            main.cancel()
        received.append(name)

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop, sig.name)


async def run_demo(
    console: Console,
    data_dir: Path,
    ports: DemoPorts,
    keep_running: bool,
    pace: float = 1.5,
    codec_endpoint: str | None = None,
    trace_file: Path | None = None,
) -> None:
    """The demo until it ends, or until SIGINT or SIGTERM; either way it stops what it started."""
    stop_on_signals(console)
    flush = record_traces(trace_file) if trace_file else None
    try:

        def show_traces() -> None:
            if flush and trace_file:
                flush()
                console.print(trace_hint(trace_file))

        await _run_demo(console, data_dir, ports, keep_running, pace, codec_endpoint, show_traces)
    except asyncio.CancelledError:
        console.print("stopped")
    finally:
        if flush:
            flush()


def record_traces(path: Path) -> Callable[[], None]:
    """Every span of this process (gateway, sagas, activities, HTTP calls) into ``path``;
    returns the function that writes out what is pending."""
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    from runtime.telemetry import setup_tracing
    from runtime.trace_file import JsonLinesSpanExporter

    provider = setup_tracing("plantflow-demo")
    provider.add_span_processor(BatchSpanProcessor(JsonLinesSpanExporter(path)))

    def flush() -> None:
        provider.force_flush()

    return flush


def trace_hint(path: Path) -> str:
    return (
        f"Traces of every saga are in {path}: `python -m runtime.trace_file show {path}` "
        "prints them as trees; in Jaeger (`docker run -p 16686:16686 -p 4318:4318 "
        "jaegertracing/all-in-one`), `python -m runtime.trace_file send "
        f"{path}` and open http://localhost:16686 (service plantflow-demo)."
    )


async def _run_demo(
    console: Console,
    data_dir: Path,
    ports: DemoPorts,
    keep_running: bool,
    pace: float,
    codec_endpoint: str | None,
    after_walk: Callable[[], None],
) -> None:
    ui_port, temporal_port, gateway_port = ports.ui, ports.temporal, ports.gateway
    options = StackOptions(
        data_dir=data_dir,
        temporal=TemporalMode.DEV_SERVER,
        temporal_port=temporal_port,
        ui_port=ui_port,
        ui_codec_endpoint=codec_endpoint,
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
        after_walk()
        if keep_running:
            console.print("The stack keeps running; press Ctrl-C to stop everything.")
            await asyncio.Event().wait()
    finally:
        with console.status("stopping..."):
            await stack_cm.__aexit__(None, None, None)
