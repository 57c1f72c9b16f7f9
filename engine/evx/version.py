"""The version of evx, in one place (the package, the CLI and the compile cache read it)."""

__version__ = "0.1.0"
