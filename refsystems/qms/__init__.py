"""The reference QMS: inspection plans and lots, results, quality notifications, usage
decisions, in its own PascalCase quality dialect (codes in ``schemas``).

HTTP API (writes take ``Idempotency-Key`` and ``X-Correlation-ID``; refusals answer
``{"error": {"code", "message"}}``):

- ``GET /api/v1/inspection-plans``, ``GET|PUT /api/v1/inspection-plans/{Material}``
- ``POST /api/v1/inspection-lots`` (422 NoInspectionPlan; Origin "03" in-process, "04" goods
  receipt from production (final inspection of a finished lot), "01" goods receipt from a
  vendor; "01" lots also carry PurchaseOrder, Supplier, MaterialDocument and the caller's
  SamplePlan),
  ``GET /api/v1/inspection-lots`` (``?Material=&Batch=&SourceOrder=&Site=&Status=&Origin=
  &PurchaseOrder=&Supplier=``), ``GET /api/v1/inspection-lots/{Lot}``
- ``POST /api/v1/inspection-lots/{Lot}/cancel`` (-> LTCA; 409 LotDecided)
- ``POST|GET /api/v1/inspection-lots/{Lot}/results`` (409 LotDecided, LotCancelled,
  LotSkipped, DuplicateResult; 422 UnknownCharacteristic, UnitMismatch). A rejected result
  opens a defect notification (F3) on production lots ("03", "04") only.
- ``POST|GET /api/v1/inspection-lots/{Lot}/usage-decision`` (409 LotDecided, LotCancelled;
  422 QuantityExceeded on receipt lots, "01" and "04")
- ``POST /api/v1/notifications`` (by default Q3 internal or Q2 vendor complaint by the
  lot's origin; F3/F2 defect reports may be named; 422 SupplierMissing),
  ``GET /api/v1/notifications`` (``?InspectionLot=&Status=``),
  ``GET /api/v1/notifications/{Number}``
- ``POST /api/v1/notifications/{Number}/disposition`` (403 SegregationOfDuties,
  NotAuthorized; 409 NotificationClosed)
- ``POST /api/v1/notifications/{Number}/complete`` (409 DispositionMissing, NotificationClosed)
- ``POST /api/v1/certificates`` (Site, Material, Batch in the body) or
  ``PUT /api/v1/certificates/{Site}/{Material}/{Batch}``: keep a batch's certificate of
  analysis (201; 200 with the stored one for an identical repeat; 409 CertificateExists,
  CertificateNumberInUse, CertificateContradictsRecords (it states conformance of a batch
  with a notification used as is or undecided); 422 InvalidContent; 413 ContentTooLarge)
- ``GET /api/v1/certificates/{Site}/{Material}/{Batch}`` (JSON, Content in base64 for a PDF),
  ``GET .../content`` (the document itself, with its media type),
  ``GET /api/v1/certificates`` (headers only; ``?Material=&Batch=&Site=``)
- ``POST /admin/seed-demo`` and the shared ``/admin/ledger``, ``/admin/faults``,
  ``/admin/outbox``, ``/health``.

Outbound events: ``Result.Recorded``, ``Notification.Created``, ``UsageDecision.Made``,
``InspectionLot.Cancelled``, ``Certificate.Issued`` (see ``events``).
"""
