"""SCO Data Bank: the shared industrial data platform of the SCO member states."""

__version__ = "0.1.0"
