"""The reference LIMS: laboratory sites, product specifications, samples of a batch, results
entered by analysts and evaluated by the LIMS against the spec, and authorisation by a
reviewer, in its own snake_case laboratory dialect (codes in ``schemas``).

HTTP API (writes take ``Idempotency-Key`` and ``X-Correlation-ID``; refusals answer
``{"error": {"code", "message"}}``):

- ``GET /api/sites``, ``PUT /api/sites/{site_id}``
- ``GET /api/specifications``, ``GET|PUT /api/specifications/{material}`` (a change raises
  the version; registered samples keep the tests they were registered with)
- ``POST /api/samples`` (201 new; 200 the batch already has a sample that is not cancelled,
  answered as is; 422 UnknownSite, UnknownSpecification),
  ``GET /api/samples`` (``?site=&material=&batch=&order=&status=``, oldest first),
  ``GET /api/samples/{sample_id}``
- ``POST /api/samples/{sample_id}/results`` (409 SampleAuthorized, SampleCancelled,
  ResultExists; 422 UnknownTest, InvalidResult, UnitMismatch)
- ``POST /api/samples/{sample_id}/authorize`` (409 SampleNotCompleted, SampleAuthorized,
  SampleCancelled; 403 SegregationOfDuties)
- ``POST /api/samples/{sample_id}/cancel`` (409 SampleAuthorized, SampleCancelled)
- ``POST /admin/seed-demo`` and the shared ``/admin/ledger``, ``/admin/faults``,
  ``/admin/outbox``, ``/health``. Malformed requests: 422 ValidationFailed; unknown ids: 404.

Outbound events: ``Sample.Registered``, ``Sample.Authorized``, ``Sample.Cancelled`` (see
``events``). People at the lab use ``lab.Lab``.
"""
