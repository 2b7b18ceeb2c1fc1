"""genmei engine: snapshot → Rego evaluation → assessment against the JASA catalog."""

__version__ = "0.1.0"
