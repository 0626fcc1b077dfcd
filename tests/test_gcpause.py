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
