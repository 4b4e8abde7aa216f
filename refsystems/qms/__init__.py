"""The reference QMS: inspection plans and lots, results, quality notifications, usage
decisions, in its own PascalCase quality dialect (codes in ``schemas``).

HTTP API (writes take ``Idempotency-Key`` and ``X-Correlation-ID``; refusals answer
``{"error": {"code", "message"}}``):

- ``GET /api/v1/inspection-plans``, ``GET|PUT /api/v1/inspection-plans/{Material}``
- ``POST /api/v1/inspection-lots`` (422 NoInspectionPlan; goods-receipt lots, Origin "01",
  also carry PurchaseOrder, Supplier, MaterialDocument and the caller's SamplePlan),
  ``GET /api/v1/inspection-lots`` (``?Material=&Batch=&SourceOrder=&Site=&Status=&Origin=
  &PurchaseOrder=&Supplier=``), ``GET /api/v1/inspection-lots/{Lot}``
- ``POST /api/v1/inspection-lots/{Lot}/cancel`` (-> CNCL; 409 LotDecided)
- ``POST|GET /api/v1/inspection-lots/{Lot}/results`` (409 LotDecided, LotCancelled,
  LotSkipped, DuplicateResult; 422 UnknownCharacteristic, UnitMismatch). A rejected result
  opens a notification on production lots only.
- ``POST|GET /api/v1/inspection-lots/{Lot}/usage-decision`` (409 LotDecided, LotCancelled;
  422 QuantityExceeded on receipt lots)
- ``POST /api/v1/notifications`` (Q3 internal or Q2 vendor; 422 SupplierMissing),
  ``GET /api/v1/notifications`` (``?InspectionLot=&Status=``),
  ``GET /api/v1/notifications/{Number}``
- ``POST /api/v1/notifications/{Number}/disposition`` (403 SegregationOfDuties,
  NotAuthorized; 409 NotificationClosed)
- ``POST /api/v1/notifications/{Number}/complete`` (409 DispositionMissing, NotificationClosed)
- ``POST /admin/seed-demo`` and the shared ``/admin/ledger``, ``/admin/faults``,
  ``/admin/outbox``, ``/health``.

Outbound events: ``Result.Recorded``, ``Notification.Created``, ``UsageDecision.Made``,
``InspectionLot.Cancelled`` (see ``events``).
"""
