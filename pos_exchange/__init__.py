"""pos-exchange: upgrade exchanges at the counter, and the hub the registers sync to."""

# The version, stated once: pyproject.toml reads it (dynamic), CHANGELOG.md has its section.
__version__ = "0.1.0"
