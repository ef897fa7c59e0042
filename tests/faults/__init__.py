"""Fault tests (marked slow): outages, kills, overload, limits, safety, fuzzing."""
