"""The version of the app: one source, read by pyproject.toml, the docs, /health and the
tiles' User-Agent."""

__version__ = "0.1.0"
