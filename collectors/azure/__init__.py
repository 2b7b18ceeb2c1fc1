"""Azure: a live collector (Azure Resource Graph plus the typed azure-mgmt-* clients) and
the `azure-graph` offline importer, both writing the canonical snapshot through the
same normalisers (collectors/azure/normalise)."""
