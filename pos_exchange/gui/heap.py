"""Keep Python's full garbage collections off the counter's event loop.

A full (generation 2) collection walks every object the process holds. Once the window
is built that is ~125,000 objects (Qt wrappers, SQLAlchemy, the catalogue), and the walk
takes about 55 ms on an idle 2-core machine, two to three times that under load: the soak
saw a 187 ms stall of the event loop at a receipt. Nothing built at start-up is garbage,
so after sign-in the heap is collected once and frozen (``gc.freeze``: those objects move
to a permanent generation the collector no longer walks). What an exchange allocates later
is collected as before.
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect once, then freeze what survived. Returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
