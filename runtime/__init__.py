"""Process wiring shared by the worker, the gateway and the CLI: settings, client, tracing."""
