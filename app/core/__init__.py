"""The service's foundations, free of HTTP: settings, the engine and `transaction`, access words,
domain errors and the validation rules that models, schemas and the CSV reader share."""
