"""What every screen of the counter shares: the services, the workers, the signed-in user,
and the words and money formats of the store's locale."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from pos_exchange.bootstrap import App
from pos_exchange.domain.users import User
from pos_exchange.gui.sounds import Sounds
from pos_exchange.gui.tasks import TaskRunner
from pos_exchange.gui.texts import Money
from pos_exchange.messages import Renderer


@dataclass
class WindowContext:
    app: App
    runner: TaskRunner
    sounds: Sounds
    money: Money
    say: Renderer                      # refusal sentences in the store's language
    terminal_qt: ModuleType            # the card terminal plugin's window part
    user: User | None = field(default=None)

    @property
    def user_id(self) -> str:
        if self.user is None:
            raise RuntimeError("no one is signed in")  # the screens are locked then
        return self.user.user_id
