"""Callsheet storage: models, migrations, the change journal and lookup.

Nothing in this package imports Qt; the desktop app, the CLI and background
workers all use it the same way.
"""
