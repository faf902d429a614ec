"""The README's examples do what the README says, on the demo data it tells you to make
(`seed ... --seed 1`), run as a user runs them."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.desktop.test_cli import callsheet
from tests.locations import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def usage_examples() -> dict[str, list[str]]:
    """Each example line of "Using it" by its subcommand: the arguments after --data-dir."""
    block = README.split("## Using it", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    examples: dict[str, list[str]] = {}
    for line in block.splitlines():
        words = shlex.split(line.split(" #", 1)[0])
        if "--data-dir" in words and len(words) > 3:
            args = words[words.index("--data-dir") + 2 :]
            examples.setdefault(args[0], []).append(args)  # type: ignore[arg-type]
    return examples


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A smaller book seeded the README's way (the same seed, the same showcase people)."""
    folder = tmp_path_factory.mktemp("demo")
    seed = next(args for args in usage_examples()["seed"])
    count = seed[seed.index("--count") + 1]
    assert int(count) >= 100
    seeded = callsheet(*[("2000" if word == count else word) for word in seed], data_dir=folder)
    assert seeded.returncode == 0, seeded.stderr
    return folder


def test_find_examples_find_who_the_readme_means(demo: Path) -> None:
    by_name, by_phone = usage_examples()["find"][:2]
    found = callsheet(*by_name, data_dir=demo)
    assert found.returncode == 0, found.stderr
    first = found.stdout.splitlines()[0]
    assert "Fjordline" in first and "Bergen" in first  # "fjord ber"
    found = callsheet(*by_phone, data_dir=demo)
    assert found.returncode == 0, found.stderr
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert rows and all(row["phone"].startswith("+47 55") for row in rows)


def test_brief_example_prints_the_call_sheet_of_that_person(demo: Path) -> None:
    brief = next(args for args in usage_examples()["brief"] if "--refresh" not in args)
    sheet = callsheet(*brief, data_dir=demo)
    assert sheet.returncode == 0, sheet.stderr
    assert sheet.stdout.startswith("Maya Lund\n")
    for part in ("Open follow-ups:", "Talking points:", "Last interactions:", "Profiles:"):
        assert part in sheet.stdout


@pytest.mark.parametrize(("typed", "shown"), re.findall(r'"([^"]+)" finds "([^"]+)"', README))
def test_the_readme_s_lookup_claims_hold(demo: Path, typed: str, shown: str) -> None:
    found = callsheet("find", typed, "--limit", "50", data_dir=demo)
    assert found.returncode == 0, found.stderr
    assert shown in found.stdout
