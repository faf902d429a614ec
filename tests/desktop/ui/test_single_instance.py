"""A second start on the same database brings the first to the front instead."""

from __future__ import annotations

from pathlib import Path

from desktop.ui.single_instance import SingleInstance, server_name


def test_the_second_start_finds_the_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = SingleInstance(tmp_path / "data")
    assert not first.notify_running()
    assert first.listen()
    second = SingleInstance(tmp_path / "data")
    with qtbot.waitSignal(first.activated, timeout=3000):
        assert second.notify_running()
    elsewhere = SingleInstance(tmp_path / "other")
    assert not elsewhere.notify_running()  # another database: its own instance
    assert server_name(tmp_path / "data") != server_name(tmp_path / "other")
    first.server.close()  # type: ignore[union-attr]
    assert not SingleInstance(tmp_path / "data").notify_running()


def test_a_socket_left_by_a_crash_does_not_block_the_next_start(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os
    import socket

    name = server_name(tmp_path / "data")
    runtime = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    stale = Path(runtime) / name
    if not stale.parent.exists():
        stale = Path("/tmp") / name
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(str(stale))  # bound, never listening: what a killed process leaves
    leftover.close()
    try:
        instance = SingleInstance(tmp_path / "data")
        assert not instance.notify_running()
        assert instance.listen()
    finally:
        stale.unlink(missing_ok=True)
