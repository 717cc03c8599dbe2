"""The CMIO curriculum pipeline: sources → load → model → check → writers → build/."""

__version__ = "0.1.0"
