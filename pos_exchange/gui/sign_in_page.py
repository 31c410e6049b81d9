"""Sign-in and the lock screen: employee ID or badge, then PIN. Five wrong PINs lock the
account for 30 minutes (counted in the database, so a restart does not reset them)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from pos_exchange.domain.users import User
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.forms.ui_sign_in import Ui_SignInForm
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, say


class SignInPage(QWidget):
    signed_in = Signal(object)   # the User

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_SignInForm()
        self.ui.setupUi(self)
        s = ctx.app.settings
        self.ui.storeLabel.setText(f"{s.store_name} · {s.store_id} / {s.register_id}")
        self.ui.signInButton.clicked.connect(self.sign_in)
        self.ui.pinEdit.returnPressed.connect(self.sign_in)
        self.ui.employeeEdit.returnPressed.connect(self.ui.pinEdit.setFocus)
        self._busy = False

    def prepare(self, message: str = "", keep_user: str = "", level: str = "info") -> None:
        """Shown at start, on sign-out and when the screen locks (a lock is news, not an
        error: it is not shown in red)."""
        self.ui.employeeEdit.setText(keep_user)
        self.ui.pinEdit.clear()
        say(self.ui.signInMessage, message, level)
        (self.ui.pinEdit if keep_user else self.ui.employeeEdit).setFocus()

    def badge_scanned(self, code: str) -> None:
        self.ui.employeeEdit.setText(code.strip())
        self.ui.pinEdit.clear()
        self.ui.pinEdit.setFocus()

    def sign_in(self) -> None:
        if self._busy:
            return
        who, pin = self.ui.employeeEdit.text().strip(), self.ui.pinEdit.text()
        self.ui.pinEdit.clear()   # the PIN leaves the screen at once
        if not who or not pin:
            self._refused(tr("Enter your employee ID (or scan your badge) and your PIN."))
            return
        users = self.ctx.app.users
        self._busy = True
        self.ui.signInButton.setEnabled(False)
        say(self.ui.signInMessage, tr("Checking…"), "info")
        self.ctx.runner.run("db", lambda: users.sign_in(users.resolve(who), pin),
                            self._accepted, self._failed, tr("Signing in"))

    def _accepted(self, user: User) -> None:
        self._done()
        say(self.ui.signInMessage, "")
        self.ui.employeeEdit.clear()
        self.signed_in.emit(user)

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self._refused(error_text(exc, self.ctx.say))
        self.ui.pinEdit.setFocus()

    def _refused(self, text: str) -> None:
        self.ctx.sounds.play("error")
        say(self.ui.signInMessage, text, "error")

    def _done(self) -> None:
        self._busy = False
        self.ui.signInButton.setEnabled(True)
