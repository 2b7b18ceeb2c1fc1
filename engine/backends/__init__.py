"""Rego backends: one interface, two implementations that must agree byte for byte."""
