"""The Rego checks, their tests and parameters, shipped as package data (engine/paths.py)."""
