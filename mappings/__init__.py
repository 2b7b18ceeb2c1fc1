"""The JASA catalog, crosswalks and JSON Schemas, shipped as package data (engine/paths.py)."""
