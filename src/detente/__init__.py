"""detente: strategic stability made computable."""

__version__ = "0.1.0"
