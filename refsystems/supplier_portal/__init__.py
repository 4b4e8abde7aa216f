"""The reference supplier portal: supplier corrective action requests (SCARs) and supplier
scorecards, in its own camelCase web dialect (codes in ``schemas``).

HTTP API (writes take ``Idempotency-Key`` and ``X-Correlation-ID``; refusals answer
``{"error": {"code", "message"}}``):

- ``GET /api/suppliers``, ``GET|PUT /api/suppliers/{supplierId}``
- ``GET /api/suppliers/{supplierId}/scorecard`` (rating formula in ``rules.RATING_FORMULA``),
  ``GET /api/suppliers/{supplierId}/lot-outcomes``
- ``POST /api/scars`` (422 UnknownSupplier; 409 DuplicateScar),
  ``GET /api/scars`` (``?supplierId=&status=&nonconformanceRef=``), ``GET /api/scars/{number}``
- ``POST /api/scars/{number}/response`` (the supplier's side; 409 ScarClosed)
- ``POST /api/scars/{number}/close`` (409 ResponseMissing, ScarClosed)
- ``POST /api/lot-outcomes`` (201 new, 200 identical repeat; 422 UnknownSupplier,
  InvalidOutcome; 409 DuplicateOutcome), ``GET /api/lot-outcomes/{outcomeId}``
- ``POST /admin/seed-demo`` and the shared ``/admin/ledger``, ``/admin/faults``,
  ``/admin/outbox``, ``/health``. Malformed requests: 422 ValidationFailed; unknown ids: 404.

Outbound events: ``scar.created``, ``scar.responded``, ``scorecard.updated`` (see ``events``).
"""
