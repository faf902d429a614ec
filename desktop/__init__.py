"""Callsheet: the desktop app, its command line and the UI-free services they share."""

__version__ = "0.1.0"
