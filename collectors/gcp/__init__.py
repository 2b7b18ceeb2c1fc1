"""Google Cloud: the live Cloud Asset Inventory collector (`genmei collect|scan gcp`) and
the normalisers it shares with the offline import of CAI exports (`genmei import gcp-cai`).

`normalise/` turns CAI assets into canonical resources and knows nothing of how they
were read; `assets.py` and `security_center.py` hold the only API calls
(AssetServiceClient.list_assets, SecurityCenterManagementClient.list_security_center_services);
`cli.py` is the provider interface the engine's registry loads.
"""
