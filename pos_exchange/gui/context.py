"""What every screen of the counter shares: the services, the workers, the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass, field

from pos_exchange.adapters.db.users import User
from pos_exchange.bootstrap import App
from pos_exchange.gui.sounds import Sounds
from pos_exchange.gui.tasks import TaskRunner
from pos_exchange.gui.texts import Money


@dataclass
class Counter:
    app: App
    runner: TaskRunner
    sounds: Sounds
    money: Money
    test_cards: bool = False           # the reader is simulated or in test mode
    user: User | None = field(default=None)

    @property
    def user_id(self) -> str:
        if self.user is None:
            raise RuntimeError("no one is signed in")  # the screens are locked then
        return self.user.user_id
