"""The manager's screen: dashboard, day close and tasks in tabs (manager role only)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.manager.close_tab import CloseTab
from pos_exchange.gui.manager.dashboard import DashboardTab
from pos_exchange.gui.manager.tasks_tab import TasksTab
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import shortcut


def name_for_readers(root: QWidget) -> None:
    """Buttons and tables read out by their words (screen readers, RPA scripts): a
    widget without an accessible name takes its visible text, or its table's heading."""
    for widget in root.findChildren(QWidget):
        if widget.accessibleName() or not widget.objectName():
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            widget.setAccessibleName(widget.text().split(" (")[0])
        elif isinstance(widget, QTableWidget):
            header = widget.horizontalHeaderItem(0)
            widget.setAccessibleName(tr("List: {first}…").format(
                first=header.text() if header else widget.objectName()))
        elif isinstance(widget, QTabWidget):
            widget.setAccessibleName(tr("Manager screens"))


def _scrolling(tab: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(f"{tab.objectName()}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(tab)
    return area


class ManagerPage(QWidget):
    back = Signal()

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(tr("Manager"), self)
        font = title.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 4)
        title.setFont(font)
        self.backButton = QPushButton(tr("Back to the counter (Esc)"), self)
        self.backButton.setObjectName("managerBack")
        self.backButton.setMinimumHeight(44)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.backButton)
        outer.addLayout(top)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("managerTabs")
        self.dashboard = DashboardTab(ctx, self)
        self.dashboard.setObjectName("managerDashboard")
        self.close_tab = CloseTab(ctx, self)
        self.close_tab.setObjectName("managerClose")
        self.tasks = TasksTab(ctx, self)
        self.tasks.setObjectName("managerTasks")
        # Each tab scrolls: the day close alone is taller than a 1366×768 counter
        # screen, and a page of the window must never make the window grow (issue 9).
        self._areas: dict[int, QScrollArea] = {}
        for tab, title_text in ((self.dashboard, tr("Dashboard")),
                                (self.close_tab, tr("Close the day")),
                                (self.tasks, tr("Drawer, refunds, outbox"))):
            self._areas[id(tab)] = _scrolling(tab)
            self.tabs.addTab(self._areas[id(tab)], title_text)
        outer.addWidget(self.tabs)
        self.backButton.clicked.connect(self.back.emit)
        shortcut(self, "Esc", self.back.emit, "shortcutManagerBack")
        self.tabs.currentChanged.connect(self._tab_changed)
        name_for_readers(self)

    def open(self) -> None:
        """Shown: the figures of today, the staff list, the tasks."""
        self.dashboard.load_csrs()
        self.dashboard.refresh()
        self.tasks.refresh()

    def show_tab(self, tab: QWidget) -> None:
        self.tabs.setCurrentWidget(self._areas[id(tab)])

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self._areas[id(self.tasks)]:
            self.tasks.refresh()
