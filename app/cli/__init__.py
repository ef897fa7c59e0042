"""The command lines: `keys` (`python -m app.keys`), `seed` (`python -m app.cli.seed`) and `serve`
(`python -m app.cli.serve`); each talks to the database through app.crud, never through HTTP."""
