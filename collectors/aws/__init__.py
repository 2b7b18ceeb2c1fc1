"""The AWS collector: a canonical snapshot of one or more AWS accounts, read through boto3.

Layout, by concern:
- cli.py: the options of `genmei collect aws` / `genmei scan aws` and the run (accounts and
  regions in parallel, the snapshot envelope).
- session.py: boto3 sessions and clients (standard credential chain, adaptive retries, the
  read-only guard, call counts).
- calls.py: one scope's API calls, paginated; every failure becomes a recorded gap.
- read/: the calls, one module per service. They return raw API JSON, nothing canonical.
- normalise/: raw API JSON → canonical resources, one module per service, pure functions
  (no boto3), so recorded responses can be normalised offline and tested; they build
  through collectors/canonical (the one constructor, redactor and typed builders).
- reference_account.py: the moto-backed reference account behind `make demo` and the tests.
"""
