"""Background work that every worker runs in the app's lifespan: `purge` (expired idempotency keys)."""
