"""The schema itself: constraints by plain SQL, migrations, drift between models and migrations."""
