"""What the tests and bench/ share to run the service for real: `server` (uvicorn processes)."""
