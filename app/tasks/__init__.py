"""Background work that every worker runs in the app's lifespan: `purge` (expired idempotency keys)
and `fold` (the value changes into the reports' buckets), each repeated by `repeat`."""
