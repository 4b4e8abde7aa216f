"""The plantflow worker: runs the sagas and their activities against the configured systems.

Environment: TEMPORAL_ADDRESS (default localhost:7233), TEMPORAL_NAMESPACE (default),
PLANTFLOW_TASK_QUEUE, PLANTFLOW_CONFIG (plant configuration file), PLANTFLOW_ALERTS_CONFIG
(SLA alert rules), PLANTFLOW_WORKER_METRICS_PORT (the SDK's Prometheus metrics; 0: off),
OTEL_* for tracing. At start it creates or updates the SLA check's Temporal Schedule.
"""

import asyncio
import logging
import os
import signal
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from activities.alerts import AlertActivities, AlertInbox
from activities.chaining import ChainingActivities
from activities.erp import ErpActivities
from activities.lims import LimsActivities
from activities.mes import MesActivities
from activities.plant import PlantActivities
from activities.qms import QmsActivities
from activities.release import ReleaseActivities
from activities.supplier_portal import SupplierPortalActivities
from activities.supplier_quality import SupplierQualityActivities
from adapters.registry import (
    erp_adapter,
    lims_adapter,
    mes_adapter,
    qms_adapter,
    supplier_portal_adapter,
)
from canonical.plant_config import ConfigError, Settings, load_settings
from canonical.release_config import load_release_config
from canonical.sampling import SamplingConfig, load_sampling_config
from monitoring.alert_rules import AlertsConfig, load_alerts_config
from monitoring.metrics import sdk_runtime
from monitoring.schedule import ensure_sla_schedule
from runtime.logs import CorrelationInterceptor, setup_logging
from runtime.settings import RuntimeSettings, SettingsError
from runtime.telemetry import setup_tracing
from runtime.temporal_client import connect_when_reachable
from workflows.alerts import AlertLedgerWorkflow, SlaCheckWorkflow
from workflows.finished_goods.workflow import FinishedGoodsReleaseWorkflow
from workflows.production_order.messages import StepPolicy
from workflows.production_order.workflow import ProductionOrderWorkflow
from workflows.supplier_quality.workflow import SupplierQualityWorkflow
from workflows.supplier_receipt.cancellation import PurchaseOrderCancellationWorkflow
from workflows.supplier_receipt.workflow import SupplierReceiptInspectionWorkflow

WORKFLOWS = [
    ProductionOrderWorkflow,
    SupplierReceiptInspectionWorkflow,
    SupplierQualityWorkflow,
    PurchaseOrderCancellationWorkflow,
    FinishedGoodsReleaseWorkflow,
    SlaCheckWorkflow,
    AlertLedgerWorkflow,
]


def build_worker(
    client: Client,
    settings: Settings,
    http: httpx.AsyncClient,
    task_queue: str,
    sampling: SamplingConfig | None = None,
    step_policy: StepPolicy | None = None,
    graceful_shutdown: timedelta = timedelta(0),
    alerts: AlertsConfig | None = None,
) -> Worker:
    """Wire adapters into activities and both into a worker; ``http`` is shared by all.
    ``alerts`` (SLA rules and delivery) defaults to config/alerts.toml."""
    erp = ErpActivities(erp_adapter(settings, http))
    mes = MesActivities(mes_adapter(settings, http))
    qms_port = qms_adapter(settings, http)
    qms = QmsActivities(qms_port)
    lims = LimsActivities(lims_adapter(settings, http))
    release = ReleaseActivities(load_release_config(), qms_port)
    chain = ChainingActivities(client, task_queue, step_policy)
    portal = SupplierPortalActivities(supplier_portal_adapter(settings, http))
    quality = SupplierQualityActivities(client, sampling or load_sampling_config(), task_queue)
    plant = PlantActivities(settings, AlertInbox(client, task_queue))
    alerting = AlertActivities(
        client, alerts or load_alerts_config(settings=settings), http, task_queue
    )
    activities: list[Callable[..., Any]] = [
        erp.get_production_order,
        erp.post_goods_issue,
        erp.post_goods_receipt,
        erp.reverse_material_document,
        erp.confirm_operation,
        erp.cancel_confirmation,
        erp.set_lot_restriction,
        erp.set_delivery_block,
        erp.complete_order,
        erp.withdraw_order,
        erp.get_lot_stock,
        erp.transfer_from_inspection,
        erp.return_to_vendor,
        erp.purchase_order_receipts,
        mes.dispatch_job,
        mes.recall_job,
        mes.hold_lot,
        mes.release_lot,
        mes.abort_job,
        mes.rework_job,
        mes.get_job,
        qms.create_inspection_lot,
        qms.record_measurement,
        qms.get_nonconformance,
        qms.get_inspection_results,
        qms.record_disposition,
        qms.record_usage_decision,
        qms.create_receipt_inspection_lot,
        qms.cancel_inspection_lot,
        qms.open_nonconformance,
        qms.log_signature,
        portal.request_corrective_action,
        portal.record_lot_outcome,
        quality.plan_lot,
        quality.record_outcome,
        lims.request_testing,
        lims.get_lab_status,
        release.load_policy,
        release.issue_certificate,
        chain.start_release,
        chain.withdraw_release,
        mes.get_packaging_status,
        plant.load_profile,
        plant.plan_route,
        plant.raise_alert,
        alerting.evaluate,
        alerting.report,
        alerting.deliver,
    ]
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=activities,
        interceptors=[CorrelationInterceptor()],
        graceful_shutdown_timeout=graceful_shutdown,
    )


def http_client(auth: httpx.Auth | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=5.0), auth=auth)


log = logging.getLogger("plantflow.worker")


async def main() -> None:
    setup_logging("plantflow-worker")
    runtime = RuntimeSettings()
    setup_tracing("plantflow-worker")
    settings = load_settings(runtime.plantflow_config)
    alerts = load_alerts_config(settings=settings)
    sdk = None
    if runtime.plantflow_worker_metrics_port:
        address = f"{runtime.plantflow_worker_metrics_host}:{runtime.plantflow_worker_metrics_port}"
        sdk = sdk_runtime(address)
        log.info("Temporal SDK metrics at http://%s/metrics", address)
    client = await connect_when_reachable(
        runtime.temporal_address, runtime.temporal_namespace, log, runtime=sdk
    )
    queue = runtime.plantflow_task_queue
    outcome = await ensure_sla_schedule(client, queue, alerts.check_interval)
    log.info("SLA check schedule %s (every %s)", outcome, alerts.check_interval)
    # SIGTERM (docker stop, an upgrade) lets running activities finish within the grace
    # period, then the worker stops polling and exits; their retries go to another worker.
    grace = timedelta(seconds=float(os.environ.get("PLANTFLOW_WORKER_GRACE_SECONDS", "50")))
    async with http_client() as http:
        worker = build_worker(client, settings, http, queue, graceful_shutdown=grace, alerts=alerts)
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop, lambda: asyncio.ensure_future(worker.shutdown()))
        log.info(
            "worker polling %s on %s (%s)",
            runtime.plantflow_task_queue,
            runtime.temporal_address,
            runtime.temporal_namespace,
        )
        await worker.run()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except (ConfigError, SettingsError) as refused:  # one line naming what to fix
        raise SystemExit(f"worker: {refused}") from None
    except KeyboardInterrupt:
        pass
