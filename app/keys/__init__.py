"""`python -m app.keys ...`: the API key commands under the name the contract gives them (app.cli.keys)."""
