"""The ERP's dialect: entity models it answers with (entities.py), payloads it accepts
(requests.py)."""
