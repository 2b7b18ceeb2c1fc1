"""The API calls, one module per service. Each function takes a calls.Reader for one scope
and returns raw API JSON keyed by "service:Operation" (see model.py); nothing here knows
the canonical model beyond the types a failed call hides."""
