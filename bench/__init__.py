"""The benchmark: the service against a bare asyncpg reference (`bench/run.sh`, see __main__)."""
