"""The version of fawen (a base module: the build fingerprint and the doors read it without importing the package's API)."""

__version__ = "0.1.0"
