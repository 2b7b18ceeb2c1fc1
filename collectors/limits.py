"""Limits every live collector shares, kept apart from the collectors themselves so that
the command line can show them in --help without importing a cloud SDK."""

# The whole collection of one scan, in seconds (`--timeout`): what is not read by then is
# a gap, never a PASS. Per-call connect/read timeouts live with each collector's clients.
DEFAULT_TIMEOUT = 15 * 60
