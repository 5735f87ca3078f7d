"""backplan: a safe, printable home-exercise plan for back pain, from a short interview."""

__version__ = "0.1.0"
