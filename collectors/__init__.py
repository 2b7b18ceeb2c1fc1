"""Collectors: read a cloud (or an export, or a plan) and write a canonical snapshot."""
