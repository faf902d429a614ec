"""How hard the reliability tests push: bounded for CI, longer on request.

    pytest tests/reliability --fault-trials 200 --fuzz-examples 2000

(The options are declared in tests/conftest.py, where pytest reads them.)
"""

from __future__ import annotations

import pytest

from tests.desktop.social.conftest import fetcher, sources  # noqa: F401 (fixtures used here)


@pytest.fixture
def fault_trials(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--fault-trials"))
