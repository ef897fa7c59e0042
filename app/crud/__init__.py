"""The data layer: one module per table, SQL only, keyword-only functions, domain errors out."""
