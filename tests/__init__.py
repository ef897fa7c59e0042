"""The tests: unit, api, db and faults groups, with their support package (see the README)."""
