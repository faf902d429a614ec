"""Carries a test run's time travel into the Python processes the tests start.

`pytest --clock-ahead DATE` puts this folder first on PYTHONPATH and the date in
CALLSHEET_TEST_TRAVEL; Python imports `sitecustomize` at start-up, so a `callsheet`
subprocess sees the same far-off "now" as the test that started it.
"""

from __future__ import annotations

import os

_destination = os.environ.get("CALLSHEET_TEST_TRAVEL")
if _destination:
    import time_machine

    time_machine.travel(_destination, tick=True).start()
