"""Renderings of an assessment: one module per format."""
