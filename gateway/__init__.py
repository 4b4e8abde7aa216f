"""The inbound gateway: systems' webhooks become saga starts and signals; people's
approvals become validated updates."""
