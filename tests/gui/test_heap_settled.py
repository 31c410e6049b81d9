"""After sign-in the start-up heap is frozen, so a full garbage collection no longer walks
it and cannot stall the counter's event loop (the soak's 187 ms stall at a receipt)."""

from __future__ import annotations

import gc

from pos_exchange.gui import heap
from tests.gui import drive


def test_sign_in_freezes_the_start_up_heap(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    drive.sign_in(qtbot, side)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 10_000)
    # The window itself is among what the collector no longer walks.
    assert not any(o is side.window for o in gc.get_objects(generation=2))


def test_settling_moves_live_objects_out_of_the_collected_generations():
    gc.unfreeze()
    kept = [[i] for i in range(1_000)]
    assert heap.settle() >= len(kept)
    walked = {id(o) for generation in (0, 1, 2) for o in gc.get_objects(generation)}
    assert not any(id(o) in walked for o in kept)
    gc.unfreeze()
    gc.collect()
    assert any(o is kept[0] for o in gc.get_objects(generation=2))
