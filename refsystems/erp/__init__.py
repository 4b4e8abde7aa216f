"""The bundled reference ERP: a small SAP S/4HANA look-alike speaking the OData V2 dialect.

It serves the subset of SAP's published APIs the sagas use (production orders, material
documents, stock, batches, confirmations, outbound deliveries, purchase orders and
suppliers), so the adapter written against it is already an S/4HANA adapter. See
``/sap/opu/odata/sap/<SERVICE>/$metadata``; its outbound events are listed in events.py.

A quality hold restricts a batch with API_BATCH_SRV's ``MatlBatchIsInRstrcdUseStock``
(Edm.Boolean): a restricted batch cannot be issued (261) or shipped; as in S/4HANA its
unrestricted stock becomes restricted-use stock (08) with the status, and unrestricted
receipts into it land there.
"""

SYSTEM_NAME = "erp"
SERVICE_ROOT = "/sap/opu/odata/sap"
