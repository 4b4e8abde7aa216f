"""What every reference system shares: idempotent writes, a ledger, fault injection, an outbox."""
