# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'history.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QHBoxLayout,
    QHeaderView, QLineEdit, QPlainTextEdit, QPushButton,
    QSizePolicy, QSpacerItem, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget)

class Ui_HistoryForm(object):
    def setupUi(self, HistoryForm):
        if not HistoryForm.objectName():
            HistoryForm.setObjectName(u"HistoryForm")
        HistoryForm.resize(1200, 700)
        self.historyLayout = QVBoxLayout(HistoryForm)
        self.historyLayout.setObjectName(u"historyLayout")
        self.historySearchRow = QHBoxLayout()
        self.historySearchRow.setObjectName(u"historySearchRow")
        self.historySearchEdit = QLineEdit(HistoryForm)
        self.historySearchEdit.setObjectName(u"historySearchEdit")

        self.historySearchRow.addWidget(self.historySearchEdit)

        self.historyTodayCheck = QCheckBox(HistoryForm)
        self.historyTodayCheck.setObjectName(u"historyTodayCheck")
        self.historyTodayCheck.setChecked(True)

        self.historySearchRow.addWidget(self.historyTodayCheck)

        self.historySearchButton = QPushButton(HistoryForm)
        self.historySearchButton.setObjectName(u"historySearchButton")

        self.historySearchRow.addWidget(self.historySearchButton)


        self.historyLayout.addLayout(self.historySearchRow)

        self.historyBody = QHBoxLayout()
        self.historyBody.setObjectName(u"historyBody")
        self.historyTable = QTableWidget(HistoryForm)
        if (self.historyTable.columnCount() < 7):
            self.historyTable.setColumnCount(7)
        __qtablewidgetitem = QTableWidgetItem()
        self.historyTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.historyTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.historyTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.historyTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.historyTable.setHorizontalHeaderItem(4, __qtablewidgetitem4)
        __qtablewidgetitem5 = QTableWidgetItem()
        self.historyTable.setHorizontalHeaderItem(5, __qtablewidgetitem5)
        __qtablewidgetitem6 = QTableWidgetItem()
        self.historyTable.setHorizontalHeaderItem(6, __qtablewidgetitem6)
        self.historyTable.setObjectName(u"historyTable")
        self.historyTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.historyTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.historyTable.setSelectionMode(QAbstractItemView.SingleSelection)

        self.historyBody.addWidget(self.historyTable)

        self.historyDetails = QPlainTextEdit(HistoryForm)
        self.historyDetails.setObjectName(u"historyDetails")
        self.historyDetails.setReadOnly(True)

        self.historyBody.addWidget(self.historyDetails)

        self.historyBody.setStretch(0, 3)
        self.historyBody.setStretch(1, 2)

        self.historyLayout.addLayout(self.historyBody)

        self.historyActions = QHBoxLayout()
        self.historyActions.setObjectName(u"historyActions")
        self.resumeButton = QPushButton(HistoryForm)
        self.resumeButton.setObjectName(u"resumeButton")

        self.historyActions.addWidget(self.resumeButton)

        self.reprintButton = QPushButton(HistoryForm)
        self.reprintButton.setObjectName(u"reprintButton")

        self.historyActions.addWidget(self.reprintButton)

        self.historySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.historyActions.addItem(self.historySpacer)

        self.historyBackButton = QPushButton(HistoryForm)
        self.historyBackButton.setObjectName(u"historyBackButton")

        self.historyActions.addWidget(self.historyBackButton)


        self.historyLayout.addLayout(self.historyActions)

        QWidget.setTabOrder(self.historySearchEdit, self.historyTodayCheck)
        QWidget.setTabOrder(self.historyTodayCheck, self.historySearchButton)
        QWidget.setTabOrder(self.historySearchButton, self.historyTable)

        self.retranslateUi(HistoryForm)
    # setupUi

    def retranslateUi(self, HistoryForm):
        HistoryForm.setWindowTitle(QCoreApplication.translate("HistoryForm", u"History", None))
        self.historySearchEdit.setPlaceholderText(QCoreApplication.translate("HistoryForm", u"Exchange number, receipt scan, or customer", None))
#if QT_CONFIG(accessibility)
        self.historySearchEdit.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Search exchanges", None))
#endif // QT_CONFIG(accessibility)
        self.historyTodayCheck.setText(QCoreApplication.translate("HistoryForm", u"&Today only", None))
#if QT_CONFIG(accessibility)
        self.historyTodayCheck.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Only today's exchanges", None))
#endif // QT_CONFIG(accessibility)
        self.historySearchButton.setText(QCoreApplication.translate("HistoryForm", u"Search", None))
#if QT_CONFIG(accessibility)
        self.historySearchButton.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Search exchanges", None))
#endif // QT_CONFIG(accessibility)
        ___qtablewidgetitem = self.historyTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("HistoryForm", u"Number", None))
        ___qtablewidgetitem1 = self.historyTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("HistoryForm", u"Time", None))
        ___qtablewidgetitem2 = self.historyTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("HistoryForm", u"State", None))
        ___qtablewidgetitem3 = self.historyTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("HistoryForm", u"Customer", None))
        ___qtablewidgetitem4 = self.historyTable.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(QCoreApplication.translate("HistoryForm", u"Original sale", None))
        ___qtablewidgetitem5 = self.historyTable.horizontalHeaderItem(5)
        ___qtablewidgetitem5.setText(QCoreApplication.translate("HistoryForm", u"CSR", None))
        ___qtablewidgetitem6 = self.historyTable.horizontalHeaderItem(6)
        ___qtablewidgetitem6.setText(QCoreApplication.translate("HistoryForm", u"Difference", None))
#if QT_CONFIG(accessibility)
        self.historyTable.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Exchanges", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.historyDetails.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Exchange details and audit trail", None))
#endif // QT_CONFIG(accessibility)
        self.resumeButton.setText(QCoreApplication.translate("HistoryForm", u"Resume", None))
#if QT_CONFIG(accessibility)
        self.resumeButton.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Resume the unfinished exchange", None))
#endif // QT_CONFIG(accessibility)
        self.reprintButton.setText(QCoreApplication.translate("HistoryForm", u"Reprint (F8)", None))
#if QT_CONFIG(accessibility)
        self.reprintButton.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Reprint the receipt", None))
#endif // QT_CONFIG(accessibility)
        self.historyBackButton.setText(QCoreApplication.translate("HistoryForm", u"Back to the counter (Esc)", None))
#if QT_CONFIG(accessibility)
        self.historyBackButton.setAccessibleName(QCoreApplication.translate("HistoryForm", u"Back to the exchange screen", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

