"""`--clock-ahead` really moves the clock, here and in the processes tests start."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest


def test_the_clock_ahead_option_moves_this_process_and_its_children(
    pytestconfig: pytest.Config,
) -> None:
    destination = pytestconfig.getoption("--clock-ahead")
    if not destination:
        pytest.skip("runs only with --clock-ahead")
    assert datetime.now(UTC).date().isoformat() >= destination
    child = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.date.today().isoformat())"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    assert child.stdout.strip() >= destination
