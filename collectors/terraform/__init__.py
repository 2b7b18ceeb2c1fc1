"""Terraform plans (`terraform show -json`) normalised into the canonical snapshot, so the
pre-deploy gate runs the same checks, through the same mappings, as the live scans.

plan.py reads and walks the plan, values.py holds planned values beside their
known-only-after-apply shadow, address.py parses addresses and resolves references,
context.py joins separate resources (rules, encryption, public-access blocks) to the
resource they configure, aws.py / azure.py / gcp.py are the normalisers, snapshot.py
assembles the snapshot, and sources.py finds `.tf` file and line with python-hcl2.
"""
