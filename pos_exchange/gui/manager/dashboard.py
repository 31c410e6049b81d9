"""The manager's dashboard: the seed's four figures for today, 7 or 30 days, or two dates,
for the store or one CSR, with charts (QtCharts) and the lists behind every count one
click away. The figures come from services/metrics.py, as at the hub's console."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.money import to_major
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.manager import calls
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, fill_table, say
from pos_exchange.services.metrics import ExchangeFact, Metrics, Period

PERIODS = (("today", 1), ("7", 7), ("30", 30), ("custom", 0))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pct(value: object) -> str:
    return "—" if value is None else f"{value} %"


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(seconds, 60)
    return tr("{m} min {s} s").format(m=minutes, s=f"{secs:02d}")


class Tile(QFrame):
    """One figure in large type with a line under it."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        heading = QLabel(title, self)
        self.value = QLabel("—", self)
        self.value.setObjectName(f"{name}Value")
        self.value.setAccessibleName(title)
        font = self.value.font()
        font.setPointSize(font.pointSize() * 2)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel("", self)
        self.detail.setObjectName(f"{name}Detail")
        self.detail.setWordWrap(True)
        for widget in (heading, self.value, self.detail):
            layout.addWidget(widget)

    def show_figure(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class DashboardTab(QWidget):
    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.metrics: Metrics | None = None
        self.lists: dict[str, list[tuple[ExchangeFact, str]]] = {}
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.periodCombo = QComboBox(self)
        self.periodCombo.setObjectName("dashboardPeriod")
        self.periodCombo.setAccessibleName(tr("Period"))
        for key, label in zip((k for k, _ in PERIODS), (tr("Today"), tr("Last 7 days"),
                                                        tr("Last 30 days"), tr("Dates")),
                              strict=True):
            self.periodCombo.addItem(label, key)
        self.fromEdit, self.toEdit = QDateEdit(self), QDateEdit(self)
        for edit, name in ((self.fromEdit, "dashboardFrom"), (self.toEdit, "dashboardTo")):
            edit.setObjectName(name)
            edit.setAccessibleName(tr("First day") if name == "dashboardFrom"
                                   else tr("Last day"))
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.csrCombo = QComboBox(self)
        self.csrCombo.setObjectName("dashboardCsr")
        self.csrCombo.setAccessibleName(tr("CSR"))
        self.csrCombo.addItem(tr("Every CSR"), None)
        self.refreshButton = QPushButton(tr("Show"), self)
        self.refreshButton.setObjectName("dashboardRefresh")
        for widget in (QLabel(tr("Period"), self), self.periodCombo, self.fromEdit,
                       self.toEdit, QLabel(tr("CSR"), self), self.csrCombo,
                       self.refreshButton):
            bar.addWidget(widget)
        bar.addStretch(1)
        outer.addLayout(bar)
        self.message = QLabel("", self)
        self.message.setObjectName("dashboardMessage")
        self.message.setAccessibleName(tr("Dashboard message"))
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        tiles = QGridLayout()
        self.timeTile = Tile(tr("Time to complete an upgrade"), "tileTime", self)
        self.coverageTile = Tile(tr("Full payment coverage"), "tileCoverage", self)
        self.inventoryTile = Tile(tr("Inventory accuracy, upgraded items"), "tileInventory",
                                  self)
        self.revenueTile = Tile(tr("Revenue impact"), "tileRevenue", self)
        for i, tile in enumerate((self.timeTile, self.coverageTile, self.inventoryTile,
                                  self.revenueTile)):
            tiles.addWidget(tile, 0, i)
        outer.addLayout(tiles)
        charts = QHBoxLayout()
        self.timeChart = self._chart_view("chartTime")
        self.coverageChart = self._chart_view("chartCoverage")
        self.revenueChart = self._chart_view("chartRevenue")
        for view in (self.timeChart, self.coverageChart, self.revenueChart):
            charts.addWidget(view)
        outer.addLayout(charts, 2)
        buttons = QHBoxLayout()
        self.listButtons: dict[str, QPushButton] = {}
        for key, label in (("not_covered", tr("Not fully paid")),
                           ("approvals", tr("Approvals")), ("declined", tr("Declines")),
                           ("voids", tr("Voids")), ("flagged", tr("Flagged")),
                           ("dead_lettered", tr("Dead-lettered")),
                           ("inventory", tr("Stock differences"))):
            button = QPushButton(label, self)
            button.setObjectName(f"list_{key}")
            button.clicked.connect(lambda _checked=False, k=key: self.show_list(k))
            self.listButtons[key] = button
            buttons.addWidget(button)
        outer.addLayout(buttons)
        self.listTable = QTableWidget(0, 4, self)
        self.listTable.setObjectName("dashboardList")
        self.listTable.setHorizontalHeaderLabels([tr("Exchange"), tr("Day"), tr("CSR"),
                                                  tr("Why")])
        outer.addWidget(self.listTable, 1)
        self.periodCombo.currentIndexChanged.connect(self._period_changed)
        self.refreshButton.clicked.connect(self.refresh)
        today = ctx.app.runtime.clock().astimezone(ctx.app.runtime.tz).date()
        self.fromEdit.setDate(_qdate(today))
        self.toEdit.setDate(_qdate(today))

    def _chart_view(self, name: str) -> QChartView:
        view = QChartView(QChart(), self)
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(220)
        return view

    # ------------------------------------------------------------------ period
    def _period_changed(self, _index: int) -> None:
        custom = self.periodCombo.currentData() == "custom"
        self.fromEdit.setEnabled(custom)
        self.toEdit.setEnabled(custom)

    def period(self) -> Period:
        today = self.ctx.app.runtime.clock().astimezone(self.ctx.app.runtime.tz).date()
        key = self.periodCombo.currentData()
        if key == "custom":
            start, end = self.fromEdit.date().toPython(), self.toEdit.date().toPython()
            return Period(start, end)  # type: ignore[arg-type]
        return Period.last(dict(PERIODS)[key], today)

    def load_csrs(self) -> None:
        self.ctx.runner.run("db", lambda: calls.csr_names(self.ctx.app), self._csrs, None,
                            tr("Loading the staff"))

    def _csrs(self, names: dict[str, str]) -> None:
        current = self.csrCombo.currentData()
        self.csrCombo.clear()
        self.csrCombo.addItem(tr("Every CSR"), None)
        for user_id, name in sorted(names.items()):
            self.csrCombo.addItem(f"{name} ({user_id})", user_id)
        index = self.csrCombo.findData(current)
        self.csrCombo.setCurrentIndex(max(0, index))

    # ------------------------------------------------------------------ figures
    def refresh(self) -> None:
        try:
            period = self.period()
        except PosError as exc:
            self._failed(exc)
            return
        app, csr = self.ctx.app, self.csrCombo.currentData()
        say(self.message, tr("Reading the figures…"))
        self.ctx.runner.run("sync", lambda: calls.dashboard(app, period, csr), self._show,
                            self._failed, tr("Reading the figures"))

    def _failed(self, exc: BaseException) -> None:
        self.metrics = None
        self.lists = {}
        say(self.message, error_text(exc, self.ctx.say), "warning")
        for tile in (self.timeTile, self.coverageTile, self.inventoryTile, self.revenueTile):
            tile.show_figure("—", "")
        for view in (self.timeChart, self.coverageChart, self.revenueChart):
            view.setChart(QChart())
        self._update_buttons()
        fill_table(self.listTable, [])

    def _show(self, board: calls.Dashboard) -> None:
        m = board.total
        self.metrics = m
        money = self.ctx.money
        say(self.message, tr("{n} exchanges from {start} to {end}.").format(
            n=m.exchanges, start=m.period.start.isoformat(), end=m.period.end.isoformat()))
        t = m.time
        self.timeTile.show_figure(_duration(t.average_s), tr(
            "median {median} · p90 {p90} · {n} upgrades").format(
                median=_duration(t.median_s), p90=_duration(t.p90_s), n=t.count))
        c = m.coverage
        self.coverageTile.show_figure(_pct(c.percent), tr("{covered} of {eligible} fully "
                                                          "paid").format(
            covered=c.covered, eligible=c.eligible))
        inv = m.inventory
        self.inventoryTile.show_figure(_pct(inv.rate_percent), tr(
            "{accurate} of {skus} items match the hub · units {units}").format(
                accurate=inv.accurate, skus=inv.skus, units=_pct(inv.unit_accuracy_percent))
            + (" · " + tr("{n} not known (hub not reached)").format(n=inv.unknown)
               if inv.unknown else ""))
        r = m.revenue
        self.revenueTile.show_figure(money(r.net_minor), tr(
            "+{incremental} from upgrades − {refunds} refunded · {retained} kept of a "
            "plain refund").format(incremental=money(r.incremental_minor),
                                   refunds=money(r.refunds_minor),
                                   retained=_pct(r.retained_percent)))
        self._charts(m)
        words = self.ctx.say
        self.lists = {
            "not_covered": [(n.fact, words.value("reason", n.reason))
                            for n in c.not_covered],
            "approvals": [(f, tr("approved")) for f in m.approvals],
            "declined": [(f, tr("{n} card declines").format(n=f.card_declines))
                         for f in m.declined],
            "voids": [(f, tr("voided")) for f in m.voids],
            "flagged": [(f, tr("flagged at the hub")) for f in m.flagged],
            "dead_lettered": [(f, tr("not delivered to the hub")) for f in m.dead_lettered],
        }
        self._update_buttons()
        self.show_list("not_covered")

    def _update_buttons(self) -> None:
        m = self.metrics
        counts = {key: len(items) for key, items in self.lists.items()}
        counts["inventory"] = len(m.inventory.inaccurate) if m else 0
        labels = {"not_covered": tr("Not fully paid"), "approvals": tr("Approvals"),
                  "declined": tr("Declines"), "voids": tr("Voids"), "flagged": tr("Flagged"),
                  "dead_lettered": tr("Dead-lettered"),
                  "inventory": tr("Stock differences")}
        for key, button in self.listButtons.items():
            button.setText(f"{labels[key]} ({counts.get(key, 0)})")
            button.setEnabled(m is not None)

    def show_list(self, key: str) -> None:
        """The exchanges behind a count (or the items whose stock differs)."""
        if key == "inventory":
            lines = self.metrics.inventory.inaccurate if self.metrics else ()
            self.listTable.setHorizontalHeaderLabels([tr("Item"), tr("Expected here"),
                                                      tr("Hub count"), tr("Difference")])
            fill_table(self.listTable, [(s.sku, str(s.expected), str(s.counted),
                                         f"{s.difference:+d}") for s in lines])
            return
        self.listTable.setHorizontalHeaderLabels([tr("Exchange"), tr("Day"), tr("CSR"),
                                                  tr("Why")])
        rows = self.lists.get(key, [])
        fill_table(self.listTable, [(f.number, f.day.isoformat(), f.csr, why)
                                    for f, why in rows], [f.number for f, _ in rows],
                   numeric_from=9)

    def _charts(self, m: Metrics) -> None:
        # The time histogram, by minutes.
        bars = QBarSet(tr("Upgrades"))
        labels = []
        for bucket in m.time.histogram:
            bars.append(bucket.count)
            labels.append(f"{bucket.lower_min}–{bucket.upper_min}" if bucket.upper_min
                          else f"{bucket.lower_min}+")
        self.timeChart.setChart(self._bar_chart(tr("Minutes from first scan to finalize"),
                                                [bars], labels, "%d"))
        pie = QPieSeries()
        pie.append(tr("Fully paid"), m.coverage.covered)
        pie.append(tr("Not fully paid"), len(m.coverage.not_covered))
        chart = QChart()
        chart.addSeries(pie)
        chart.setTitle(tr("Payment coverage"))
        self.coverageChart.setChart(chart)
        revenue = QBarSet(tr("Amount"))
        for minor in (m.revenue.incremental_minor, m.revenue.refunds_minor,
                      m.revenue.net_minor):
            # A bar's height is a float for Qt; the amounts people read are the tiles'.
            revenue.append(float(to_major(minor, m.currency)))
        self.revenueChart.setChart(self._bar_chart(
            tr("Revenue impact ({currency})").format(currency=m.currency), [revenue],
            [tr("Upgrades"), tr("Refunds"), tr("Net")], "%.0f"))

    @staticmethod
    def _bar_chart(title: str, sets: list[QBarSet], labels: list[str],
                   label_format: str) -> QChart:
        series = QBarSeries()
        for bar_set in sets:
            series.append(bar_set)
        chart = QChart()
        chart.addSeries(series)
        chart.setTitle(title)
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        top = max([bar_set.at(i) for bar_set in sets for i in range(bar_set.count())] or [1])
        axis_y.setRange(0, max(1, top))
        axis_y.setLabelFormat(label_format)
        if label_format == "%d":
            axis_y.setTickCount(int(min(max(1, top), 10)) + 1)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setVisible(False)
        return chart
