"""Compiled from ui/*.ui by scripts/build-ui.sh: do not edit."""
