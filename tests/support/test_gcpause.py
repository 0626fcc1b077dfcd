"""The app turns the garbage collector off while it starts and back on after its first frame."""

from __future__ import annotations

import gc

import bpdebug
from bpdebug.support import gcpause


def test_startup_turns_the_collector_off_and_the_first_frame_turns_it_back_on() -> None:
    assert gc.isenabled()
    try:
        gcpause.collector_off_for_startup()
        assert not gc.isenabled()
        gcpause.freeze_live_objects()
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_collector_turned_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        gcpause.collector_off_for_startup()
        gcpause.freeze_live_objects()
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_every_public_name_is_there_when_asked_for() -> None:
    for name in bpdebug.__all__:
        assert getattr(bpdebug, name) is not None
    assert set(dir(bpdebug)) == set(bpdebug.__all__)


def test_a_graph_that_fails_before_the_app_opens_leaves_the_collector_on(tmp_path, capsys) -> None:
    from bpdebug.cli import main

    path = tmp_path / "broken.toml"
    path.write_text("[inputs]\nx = 1.0\n", encoding="utf-8")
    assert main([str(path)]) == 2
    assert gc.isenabled()
