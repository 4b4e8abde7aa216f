"""Activities: thin, idempotent calls through the adapter ports, one model argument each."""
