"""The ERP's business rules: plain functions on a session that raise ErpError to refuse."""
