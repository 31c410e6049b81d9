"""The stripe card terminal plugin (see plugins/terminals/__init__.py)."""
