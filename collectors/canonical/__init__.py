"""The canonical layer: the one place where provider facts become canonical resources.

Every path into a snapshot — the live collectors (AWS, Azure, GCP), the importers
(AWS Config, Resource Graph, Cloud Asset Inventory) and the Terraform plan normaliser —
builds its resources here, so that the same facts get the same attrs, and so the same
verdict, whichever way they were read:

- definitions.py: the canonical types and their attrs (mappings/resource-types.yaml) and
  the JSON Schema generated from them, which every snapshot is checked against on load;
- resource.py: the one resource constructor (attrs checked against the definitions,
  values known only after apply listed in `unknown`, everything redacted);
- redact.py: the one redactor of secrets in raw JSON, tags, names and messages;
- firewall.py, tls.py, keys.py, zones.py, s3.py: typed builders for firewall rules
  (protocol-aware), transport encryption (RDS parameters per engine family, ELB policy
  names), encryption at rest and key types, zones, and the S3 bucket policy reader.

Normalisers read their source's shapes and call these builders; they decide nothing the
builders decide.
"""
