# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'exchange.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QFormLayout, QGridLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QProgressBar, QPushButton, QSizePolicy,
    QSpacerItem, QSpinBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget)

class Ui_ExchangeForm(object):
    def setupUi(self, ExchangeForm):
        if not ExchangeForm.objectName():
            ExchangeForm.setObjectName(u"ExchangeForm")
        ExchangeForm.resize(1280, 700)
        self.pageLayout = QVBoxLayout(ExchangeForm)
        self.pageLayout.setSpacing(6)
        self.pageLayout.setObjectName(u"pageLayout")
        self.pageLayout.setContentsMargins(8, 6, 8, 4)
        self.mainLayout = QHBoxLayout()
        self.mainLayout.setObjectName(u"mainLayout")
        self.leftColumn = QVBoxLayout()
        self.leftColumn.setSpacing(6)
        self.leftColumn.setObjectName(u"leftColumn")
        self.saleGroup = QGroupBox(ExchangeForm)
        self.saleGroup.setObjectName(u"saleGroup")
        self.saleLayout = QVBoxLayout(self.saleGroup)
        self.saleLayout.setSpacing(4)
        self.saleLayout.setObjectName(u"saleLayout")
        self.saleLayout.setContentsMargins(6, 4, 6, 4)
        self.saleSearchRow = QHBoxLayout()
        self.saleSearchRow.setObjectName(u"saleSearchRow")
        self.saleSearchEdit = QLineEdit(self.saleGroup)
        self.saleSearchEdit.setObjectName(u"saleSearchEdit")

        self.saleSearchRow.addWidget(self.saleSearchEdit)

        self.findSaleButton = QPushButton(self.saleGroup)
        self.findSaleButton.setObjectName(u"findSaleButton")

        self.saleSearchRow.addWidget(self.findSaleButton)


        self.saleLayout.addLayout(self.saleSearchRow)

        self.saleInfoLabel = QLabel(self.saleGroup)
        self.saleInfoLabel.setObjectName(u"saleInfoLabel")
        self.saleInfoLabel.setWordWrap(True)

        self.saleLayout.addWidget(self.saleInfoLabel)

        self.saleResultsList = QListWidget(self.saleGroup)
        self.saleResultsList.setObjectName(u"saleResultsList")
        self.saleResultsList.setMaximumSize(QSize(16777215, 96))

        self.saleLayout.addWidget(self.saleResultsList)

        self.saleLinesTable = QTableWidget(self.saleGroup)
        if (self.saleLinesTable.columnCount() < 4):
            self.saleLinesTable.setColumnCount(4)
        __qtablewidgetitem = QTableWidgetItem()
        self.saleLinesTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.saleLinesTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.saleLinesTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.saleLinesTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        self.saleLinesTable.setObjectName(u"saleLinesTable")
        self.saleLinesTable.setMinimumSize(QSize(0, 64))
        self.saleLinesTable.setMaximumSize(QSize(16777215, 120))
        self.saleLinesTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.saleLinesTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.saleLinesTable.setSelectionMode(QAbstractItemView.SingleSelection)

        self.saleLayout.addWidget(self.saleLinesTable)

        self.returnLineRow = QHBoxLayout()
        self.returnLineRow.setObjectName(u"returnLineRow")
        self.returnQtyLabel = QLabel(self.saleGroup)
        self.returnQtyLabel.setObjectName(u"returnQtyLabel")

        self.returnLineRow.addWidget(self.returnQtyLabel)

        self.returnQtySpin = QSpinBox(self.saleGroup)
        self.returnQtySpin.setObjectName(u"returnQtySpin")
        self.returnQtySpin.setMinimum(1)
        self.returnQtySpin.setMaximum(99)

        self.returnLineRow.addWidget(self.returnQtySpin)

        self.conditionCombo = QComboBox(self.saleGroup)
        self.conditionCombo.setObjectName(u"conditionCombo")

        self.returnLineRow.addWidget(self.conditionCombo)

        self.restockCheck = QCheckBox(self.saleGroup)
        self.restockCheck.setObjectName(u"restockCheck")
        self.restockCheck.setChecked(True)

        self.returnLineRow.addWidget(self.restockCheck)

        self.returnLineSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.returnLineRow.addItem(self.returnLineSpacer)

        self.returnLineButton = QPushButton(self.saleGroup)
        self.returnLineButton.setObjectName(u"returnLineButton")

        self.returnLineRow.addWidget(self.returnLineButton)


        self.saleLayout.addLayout(self.returnLineRow)


        self.leftColumn.addWidget(self.saleGroup)

        self.scanRow = QHBoxLayout()
        self.scanRow.setObjectName(u"scanRow")
        self.modeReturnedButton = QPushButton(ExchangeForm)
        self.modeReturnedButton.setObjectName(u"modeReturnedButton")
        self.modeReturnedButton.setCheckable(True)

        self.scanRow.addWidget(self.modeReturnedButton)

        self.modeRequestedButton = QPushButton(ExchangeForm)
        self.modeRequestedButton.setObjectName(u"modeRequestedButton")
        self.modeRequestedButton.setCheckable(True)

        self.scanRow.addWidget(self.modeRequestedButton)

        self.scanEdit = QLineEdit(ExchangeForm)
        self.scanEdit.setObjectName(u"scanEdit")

        self.scanRow.addWidget(self.scanEdit)

        self.addCodeButton = QPushButton(ExchangeForm)
        self.addCodeButton.setObjectName(u"addCodeButton")

        self.scanRow.addWidget(self.addCodeButton)


        self.leftColumn.addLayout(self.scanRow)

        self.messageLabel = QLabel(ExchangeForm)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)

        self.leftColumn.addWidget(self.messageLabel)

        self.returnedGroup = QGroupBox(ExchangeForm)
        self.returnedGroup.setObjectName(u"returnedGroup")
        self.returnedLayout = QVBoxLayout(self.returnedGroup)
        self.returnedLayout.setObjectName(u"returnedLayout")
        self.returnedLayout.setContentsMargins(6, 4, 6, 4)
        self.returnedTable = QTableWidget(self.returnedGroup)
        if (self.returnedTable.columnCount() < 5):
            self.returnedTable.setColumnCount(5)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.returnedTable.setHorizontalHeaderItem(0, __qtablewidgetitem4)
        __qtablewidgetitem5 = QTableWidgetItem()
        self.returnedTable.setHorizontalHeaderItem(1, __qtablewidgetitem5)
        __qtablewidgetitem6 = QTableWidgetItem()
        self.returnedTable.setHorizontalHeaderItem(2, __qtablewidgetitem6)
        __qtablewidgetitem7 = QTableWidgetItem()
        self.returnedTable.setHorizontalHeaderItem(3, __qtablewidgetitem7)
        __qtablewidgetitem8 = QTableWidgetItem()
        self.returnedTable.setHorizontalHeaderItem(4, __qtablewidgetitem8)
        self.returnedTable.setObjectName(u"returnedTable")
        self.returnedTable.setMinimumSize(QSize(0, 60))
        self.returnedTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.returnedTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.returnedTable.setSelectionMode(QAbstractItemView.SingleSelection)

        self.returnedLayout.addWidget(self.returnedTable)


        self.leftColumn.addWidget(self.returnedGroup)

        self.requestedGroup = QGroupBox(ExchangeForm)
        self.requestedGroup.setObjectName(u"requestedGroup")
        self.requestedLayout = QVBoxLayout(self.requestedGroup)
        self.requestedLayout.setObjectName(u"requestedLayout")
        self.requestedLayout.setContentsMargins(6, 4, 6, 4)
        self.requestedTable = QTableWidget(self.requestedGroup)
        if (self.requestedTable.columnCount() < 6):
            self.requestedTable.setColumnCount(6)
        __qtablewidgetitem9 = QTableWidgetItem()
        self.requestedTable.setHorizontalHeaderItem(0, __qtablewidgetitem9)
        __qtablewidgetitem10 = QTableWidgetItem()
        self.requestedTable.setHorizontalHeaderItem(1, __qtablewidgetitem10)
        __qtablewidgetitem11 = QTableWidgetItem()
        self.requestedTable.setHorizontalHeaderItem(2, __qtablewidgetitem11)
        __qtablewidgetitem12 = QTableWidgetItem()
        self.requestedTable.setHorizontalHeaderItem(3, __qtablewidgetitem12)
        __qtablewidgetitem13 = QTableWidgetItem()
        self.requestedTable.setHorizontalHeaderItem(4, __qtablewidgetitem13)
        __qtablewidgetitem14 = QTableWidgetItem()
        self.requestedTable.setHorizontalHeaderItem(5, __qtablewidgetitem14)
        self.requestedTable.setObjectName(u"requestedTable")
        self.requestedTable.setMinimumSize(QSize(0, 60))
        self.requestedTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.requestedTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.requestedTable.setSelectionMode(QAbstractItemView.SingleSelection)

        self.requestedLayout.addWidget(self.requestedTable)


        self.leftColumn.addWidget(self.requestedGroup)


        self.mainLayout.addLayout(self.leftColumn)

        self.rightColumn = QVBoxLayout()
        self.rightColumn.setSpacing(6)
        self.rightColumn.setObjectName(u"rightColumn")
        self.exchangeNumberLabel = QLabel(ExchangeForm)
        self.exchangeNumberLabel.setObjectName(u"exchangeNumberLabel")

        self.rightColumn.addWidget(self.exchangeNumberLabel)

        self.valuationGroup = QGroupBox(ExchangeForm)
        self.valuationGroup.setObjectName(u"valuationGroup")
        self.valuationLayout = QVBoxLayout(self.valuationGroup)
        self.valuationLayout.setSpacing(2)
        self.valuationLayout.setObjectName(u"valuationLayout")
        self.valuationLayout.setContentsMargins(6, 4, 6, 4)
        self.valuationGrid = QGridLayout()
        self.valuationGrid.setObjectName(u"valuationGrid")
        self.valuationGrid.setHorizontalSpacing(10)
        self.valuationGrid.setVerticalSpacing(2)
        self.returnedCreditCaption = QLabel(self.valuationGroup)
        self.returnedCreditCaption.setObjectName(u"returnedCreditCaption")

        self.valuationGrid.addWidget(self.returnedCreditCaption, 0, 0, 1, 1)

        self.returnedCreditValue = QLabel(self.valuationGroup)
        self.returnedCreditValue.setObjectName(u"returnedCreditValue")
        self.returnedCreditValue.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.valuationGrid.addWidget(self.returnedCreditValue, 0, 1, 1, 1)

        self.newTotalCaption = QLabel(self.valuationGroup)
        self.newTotalCaption.setObjectName(u"newTotalCaption")

        self.valuationGrid.addWidget(self.newTotalCaption, 0, 2, 1, 1)

        self.newTotalValue = QLabel(self.valuationGroup)
        self.newTotalValue.setObjectName(u"newTotalValue")
        self.newTotalValue.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.valuationGrid.addWidget(self.newTotalValue, 0, 3, 1, 1)

        self.newNetCaption = QLabel(self.valuationGroup)
        self.newNetCaption.setObjectName(u"newNetCaption")

        self.valuationGrid.addWidget(self.newNetCaption, 1, 0, 1, 1)

        self.newNetValue = QLabel(self.valuationGroup)
        self.newNetValue.setObjectName(u"newNetValue")
        self.newNetValue.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.valuationGrid.addWidget(self.newNetValue, 1, 1, 1, 1)

        self.newTaxCaption = QLabel(self.valuationGroup)
        self.newTaxCaption.setObjectName(u"newTaxCaption")

        self.valuationGrid.addWidget(self.newTaxCaption, 1, 2, 1, 1)

        self.newTaxValue = QLabel(self.valuationGroup)
        self.newTaxValue.setObjectName(u"newTaxValue")
        self.newTaxValue.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.valuationGrid.addWidget(self.newTaxValue, 1, 3, 1, 1)

        self.paidCaption = QLabel(self.valuationGroup)
        self.paidCaption.setObjectName(u"paidCaption")

        self.valuationGrid.addWidget(self.paidCaption, 2, 0, 1, 1)

        self.paidValue = QLabel(self.valuationGroup)
        self.paidValue.setObjectName(u"paidValue")
        self.paidValue.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.valuationGrid.addWidget(self.paidValue, 2, 1, 1, 1)

        self.dueCaption = QLabel(self.valuationGroup)
        self.dueCaption.setObjectName(u"dueCaption")

        self.valuationGrid.addWidget(self.dueCaption, 2, 2, 1, 1)

        self.dueValue = QLabel(self.valuationGroup)
        self.dueValue.setObjectName(u"dueValue")
        self.dueValue.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.valuationGrid.addWidget(self.dueValue, 2, 3, 1, 1)


        self.valuationLayout.addLayout(self.valuationGrid)

        self.gapLabel = QLabel(self.valuationGroup)
        self.gapLabel.setObjectName(u"gapLabel")
        self.gapLabel.setAlignment(Qt.AlignCenter)
        self.gapLabel.setWordWrap(True)

        self.valuationLayout.addWidget(self.gapLabel)

        self.findingsList = QListWidget(self.valuationGroup)
        self.findingsList.setObjectName(u"findingsList")
        self.findingsList.setMaximumSize(QSize(16777215, 76))
        self.findingsList.setWordWrap(True)

        self.valuationLayout.addWidget(self.findingsList)


        self.rightColumn.addWidget(self.valuationGroup)

        self.approvalGroup = QGroupBox(ExchangeForm)
        self.approvalGroup.setObjectName(u"approvalGroup")
        self.approvalLayout = QFormLayout(self.approvalGroup)
        self.approvalLayout.setObjectName(u"approvalLayout")
        self.approvalLayout.setVerticalSpacing(4)
        self.approvalLayout.setContentsMargins(6, 4, 6, 4)
        self.approvalInfoLabel = QLabel(self.approvalGroup)
        self.approvalInfoLabel.setObjectName(u"approvalInfoLabel")
        self.approvalInfoLabel.setWordWrap(True)

        self.approvalLayout.setWidget(0, QFormLayout.ItemRole.SpanningRole, self.approvalInfoLabel)

        self.approverLabel = QLabel(self.approvalGroup)
        self.approverLabel.setObjectName(u"approverLabel")

        self.approvalLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.approverLabel)

        self.approverEdit = QLineEdit(self.approvalGroup)
        self.approverEdit.setObjectName(u"approverEdit")

        self.approvalLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.approverEdit)

        self.approverPinLabel = QLabel(self.approvalGroup)
        self.approverPinLabel.setObjectName(u"approverPinLabel")

        self.approvalLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.approverPinLabel)

        self.approverPinEdit = QLineEdit(self.approvalGroup)
        self.approverPinEdit.setObjectName(u"approverPinEdit")
        self.approverPinEdit.setEchoMode(QLineEdit.Password)
        self.approverPinEdit.setMaxLength(12)

        self.approvalLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.approverPinEdit)

        self.approvalReasonLabel = QLabel(self.approvalGroup)
        self.approvalReasonLabel.setObjectName(u"approvalReasonLabel")

        self.approvalLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.approvalReasonLabel)

        self.approvalReasonCombo = QComboBox(self.approvalGroup)
        self.approvalReasonCombo.setObjectName(u"approvalReasonCombo")
        self.approvalReasonCombo.setEditable(True)

        self.approvalLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.approvalReasonCombo)

        self.approveButton = QPushButton(self.approvalGroup)
        self.approveButton.setObjectName(u"approveButton")

        self.approvalLayout.setWidget(4, QFormLayout.ItemRole.SpanningRole, self.approveButton)


        self.rightColumn.addWidget(self.approvalGroup)

        self.paymentGroup = QGroupBox(ExchangeForm)
        self.paymentGroup.setObjectName(u"paymentGroup")
        self.paymentLayout = QGridLayout(self.paymentGroup)
        self.paymentLayout.setObjectName(u"paymentLayout")
        self.paymentLayout.setVerticalSpacing(4)
        self.paymentLayout.setContentsMargins(6, 4, 6, 4)
        self.cashTenderedLabel = QLabel(self.paymentGroup)
        self.cashTenderedLabel.setObjectName(u"cashTenderedLabel")

        self.paymentLayout.addWidget(self.cashTenderedLabel, 0, 0, 1, 1)

        self.cashTenderedEdit = QLineEdit(self.paymentGroup)
        self.cashTenderedEdit.setObjectName(u"cashTenderedEdit")

        self.paymentLayout.addWidget(self.cashTenderedEdit, 0, 1, 1, 1)

        self.payCashButton = QPushButton(self.paymentGroup)
        self.payCashButton.setObjectName(u"payCashButton")

        self.paymentLayout.addWidget(self.payCashButton, 0, 2, 1, 1)

        self.quickTenderRow = QHBoxLayout()
        self.quickTenderRow.setObjectName(u"quickTenderRow")
        self.quickExactButton = QPushButton(self.paymentGroup)
        self.quickExactButton.setObjectName(u"quickExactButton")

        self.quickTenderRow.addWidget(self.quickExactButton)

        self.quickNote1Button = QPushButton(self.paymentGroup)
        self.quickNote1Button.setObjectName(u"quickNote1Button")

        self.quickTenderRow.addWidget(self.quickNote1Button)

        self.quickNote2Button = QPushButton(self.paymentGroup)
        self.quickNote2Button.setObjectName(u"quickNote2Button")

        self.quickTenderRow.addWidget(self.quickNote2Button)

        self.quickNote3Button = QPushButton(self.paymentGroup)
        self.quickNote3Button.setObjectName(u"quickNote3Button")

        self.quickTenderRow.addWidget(self.quickNote3Button)


        self.paymentLayout.addLayout(self.quickTenderRow, 1, 0, 1, 3)

        self.cardAmountLabel = QLabel(self.paymentGroup)
        self.cardAmountLabel.setObjectName(u"cardAmountLabel")

        self.paymentLayout.addWidget(self.cardAmountLabel, 2, 0, 1, 1)

        self.cardAmountEdit = QLineEdit(self.paymentGroup)
        self.cardAmountEdit.setObjectName(u"cardAmountEdit")

        self.paymentLayout.addWidget(self.cardAmountEdit, 2, 1, 1, 1)

        self.cardButtons = QHBoxLayout()
        self.cardButtons.setObjectName(u"cardButtons")
        self.payCardButton = QPushButton(self.paymentGroup)
        self.payCardButton.setObjectName(u"payCardButton")

        self.cardButtons.addWidget(self.payCardButton)

        self.cancelCardButton = QPushButton(self.paymentGroup)
        self.cancelCardButton.setObjectName(u"cancelCardButton")

        self.cardButtons.addWidget(self.cancelCardButton)


        self.paymentLayout.addLayout(self.cardButtons, 2, 2, 1, 1)

        self.testCardLabel = QLabel(self.paymentGroup)
        self.testCardLabel.setObjectName(u"testCardLabel")

        self.paymentLayout.addWidget(self.testCardLabel, 3, 0, 1, 1)

        self.testCardCombo = QComboBox(self.paymentGroup)
        self.testCardCombo.setObjectName(u"testCardCombo")

        self.paymentLayout.addWidget(self.testCardCombo, 3, 1, 1, 2)

        self.cardStatusLabel = QLabel(self.paymentGroup)
        self.cardStatusLabel.setObjectName(u"cardStatusLabel")
        self.cardStatusLabel.setWordWrap(True)

        self.paymentLayout.addWidget(self.cardStatusLabel, 4, 0, 1, 3)

        self.cardProgress = QProgressBar(self.paymentGroup)
        self.cardProgress.setObjectName(u"cardProgress")
        self.cardProgress.setMaximum(0)
        self.cardProgress.setMaximumSize(QSize(16777215, 8))
        self.cardProgress.setTextVisible(False)

        self.paymentLayout.addWidget(self.cardProgress, 5, 0, 1, 3)

        self.tendersList = QListWidget(self.paymentGroup)
        self.tendersList.setObjectName(u"tendersList")
        self.tendersList.setMaximumSize(QSize(16777215, 50))

        self.paymentLayout.addWidget(self.tendersList, 6, 0, 1, 3)


        self.rightColumn.addWidget(self.paymentGroup)

        self.rightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.rightColumn.addItem(self.rightSpacer)


        self.mainLayout.addLayout(self.rightColumn)

        self.mainLayout.setStretch(0, 3)
        self.mainLayout.setStretch(1, 2)

        self.pageLayout.addLayout(self.mainLayout)

        self.actionBar = QHBoxLayout()
        self.actionBar.setObjectName(u"actionBar")
        self.removeLineButton = QPushButton(ExchangeForm)
        self.removeLineButton.setObjectName(u"removeLineButton")

        self.actionBar.addWidget(self.removeLineButton)

        self.cancelExchangeButton = QPushButton(ExchangeForm)
        self.cancelExchangeButton.setObjectName(u"cancelExchangeButton")

        self.actionBar.addWidget(self.cancelExchangeButton)

        self.voidButton = QPushButton(ExchangeForm)
        self.voidButton.setObjectName(u"voidButton")

        self.actionBar.addWidget(self.voidButton)

        self.actionSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.actionBar.addItem(self.actionSpacer)

        self.lockInButton = QPushButton(ExchangeForm)
        self.lockInButton.setObjectName(u"lockInButton")

        self.actionBar.addWidget(self.lockInButton)

        self.finalizeButton = QPushButton(ExchangeForm)
        self.finalizeButton.setObjectName(u"finalizeButton")

        self.actionBar.addWidget(self.finalizeButton)


        self.pageLayout.addLayout(self.actionBar)

#if QT_CONFIG(shortcut)
        self.returnQtyLabel.setBuddy(self.returnQtySpin)
        self.approverLabel.setBuddy(self.approverEdit)
        self.approverPinLabel.setBuddy(self.approverPinEdit)
        self.approvalReasonLabel.setBuddy(self.approvalReasonCombo)
        self.cashTenderedLabel.setBuddy(self.cashTenderedEdit)
        self.cardAmountLabel.setBuddy(self.cardAmountEdit)
        self.testCardLabel.setBuddy(self.testCardCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.scanEdit, self.addCodeButton)
        QWidget.setTabOrder(self.addCodeButton, self.saleSearchEdit)
        QWidget.setTabOrder(self.saleSearchEdit, self.findSaleButton)
        QWidget.setTabOrder(self.findSaleButton, self.saleResultsList)
        QWidget.setTabOrder(self.saleResultsList, self.saleLinesTable)
        QWidget.setTabOrder(self.saleLinesTable, self.returnQtySpin)
        QWidget.setTabOrder(self.returnQtySpin, self.conditionCombo)
        QWidget.setTabOrder(self.conditionCombo, self.restockCheck)
        QWidget.setTabOrder(self.restockCheck, self.returnLineButton)
        QWidget.setTabOrder(self.returnLineButton, self.returnedTable)
        QWidget.setTabOrder(self.returnedTable, self.requestedTable)
        QWidget.setTabOrder(self.requestedTable, self.approverEdit)
        QWidget.setTabOrder(self.approverEdit, self.approverPinEdit)
        QWidget.setTabOrder(self.approverPinEdit, self.approvalReasonCombo)
        QWidget.setTabOrder(self.approvalReasonCombo, self.approveButton)
        QWidget.setTabOrder(self.approveButton, self.cashTenderedEdit)
        QWidget.setTabOrder(self.cashTenderedEdit, self.payCashButton)
        QWidget.setTabOrder(self.payCashButton, self.quickExactButton)
        QWidget.setTabOrder(self.quickExactButton, self.quickNote1Button)
        QWidget.setTabOrder(self.quickNote1Button, self.quickNote2Button)
        QWidget.setTabOrder(self.quickNote2Button, self.quickNote3Button)
        QWidget.setTabOrder(self.quickNote3Button, self.cardAmountEdit)
        QWidget.setTabOrder(self.cardAmountEdit, self.payCardButton)
        QWidget.setTabOrder(self.payCardButton, self.testCardCombo)
        QWidget.setTabOrder(self.testCardCombo, self.lockInButton)
        QWidget.setTabOrder(self.lockInButton, self.finalizeButton)

        self.retranslateUi(ExchangeForm)
    # setupUi

    def retranslateUi(self, ExchangeForm):
        ExchangeForm.setWindowTitle(QCoreApplication.translate("ExchangeForm", u"Exchange", None))
        self.saleGroup.setTitle(QCoreApplication.translate("ExchangeForm", u"Original sale", None))
        self.saleSearchEdit.setPlaceholderText(QCoreApplication.translate("ExchangeForm", u"Receipt, order number, customer name or phone (F2)", None))
#if QT_CONFIG(accessibility)
        self.saleSearchEdit.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Find original sale", None))
#endif // QT_CONFIG(accessibility)
        self.findSaleButton.setText(QCoreApplication.translate("ExchangeForm", u"Find sale", None))
#if QT_CONFIG(accessibility)
        self.findSaleButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Find sale", None))
#endif // QT_CONFIG(accessibility)
        self.saleInfoLabel.setText(QCoreApplication.translate("ExchangeForm", u"No original sale: scan the receipt, or go on without one.", None))
#if QT_CONFIG(accessibility)
        self.saleInfoLabel.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Original sale", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.saleResultsList.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Sales found for the customer", None))
#endif // QT_CONFIG(accessibility)
        ___qtablewidgetitem = self.saleLinesTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("ExchangeForm", u"Item", None))
        ___qtablewidgetitem1 = self.saleLinesTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("ExchangeForm", u"Bought", None))
        ___qtablewidgetitem2 = self.saleLinesTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("ExchangeForm", u"Returnable", None))
        ___qtablewidgetitem3 = self.saleLinesTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("ExchangeForm", u"Paid each", None))
#if QT_CONFIG(accessibility)
        self.saleLinesTable.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Lines of the original sale", None))
#endif // QT_CONFIG(accessibility)
        self.returnQtyLabel.setText(QCoreApplication.translate("ExchangeForm", u"&Qty", None))
#if QT_CONFIG(accessibility)
        self.returnQtySpin.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Quantity to return", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.conditionCombo.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Condition of the returned item", None))
#endif // QT_CONFIG(accessibility)
        self.restockCheck.setText(QCoreApplication.translate("ExchangeForm", u"&Restock", None))
#if QT_CONFIG(accessibility)
        self.restockCheck.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Put the returned item back in stock", None))
#endif // QT_CONFIG(accessibility)
        self.returnLineButton.setText(QCoreApplication.translate("ExchangeForm", u"Return line (F4)", None))
#if QT_CONFIG(accessibility)
        self.returnLineButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Return the selected sale line", None))
#endif // QT_CONFIG(accessibility)
        self.modeReturnedButton.setText(QCoreApplication.translate("ExchangeForm", u"Return (F5)", None))
#if QT_CONFIG(tooltip)
        self.modeReturnedButton.setToolTip(QCoreApplication.translate("ExchangeForm", u"The next scan is a returned item, with or without a receipt", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.modeReturnedButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"The next scan is a returned item", None))
#endif // QT_CONFIG(accessibility)
        self.modeRequestedButton.setText(QCoreApplication.translate("ExchangeForm", u"New (F6)", None))
#if QT_CONFIG(tooltip)
        self.modeRequestedButton.setToolTip(QCoreApplication.translate("ExchangeForm", u"The next scan is an item the customer takes", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.modeRequestedButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"The next scan is a new item", None))
#endif // QT_CONFIG(accessibility)
        self.scanEdit.setPlaceholderText(QCoreApplication.translate("ExchangeForm", u"Scan, or type a barcode or SKU", None))
#if QT_CONFIG(accessibility)
        self.scanEdit.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Barcode or SKU", None))
#endif // QT_CONFIG(accessibility)
        self.addCodeButton.setText(QCoreApplication.translate("ExchangeForm", u"Add", None))
#if QT_CONFIG(accessibility)
        self.addCodeButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Add the typed code", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Message", None))
#endif // QT_CONFIG(accessibility)
        self.returnedGroup.setTitle(QCoreApplication.translate("ExchangeForm", u"Returned items", None))
        ___qtablewidgetitem4 = self.returnedTable.horizontalHeaderItem(0)
        ___qtablewidgetitem4.setText(QCoreApplication.translate("ExchangeForm", u"Item", None))
        ___qtablewidgetitem5 = self.returnedTable.horizontalHeaderItem(1)
        ___qtablewidgetitem5.setText(QCoreApplication.translate("ExchangeForm", u"Qty", None))
        ___qtablewidgetitem6 = self.returnedTable.horizontalHeaderItem(2)
        ___qtablewidgetitem6.setText(QCoreApplication.translate("ExchangeForm", u"Condition", None))
        ___qtablewidgetitem7 = self.returnedTable.horizontalHeaderItem(3)
        ___qtablewidgetitem7.setText(QCoreApplication.translate("ExchangeForm", u"Restock", None))
        ___qtablewidgetitem8 = self.returnedTable.horizontalHeaderItem(4)
        ___qtablewidgetitem8.setText(QCoreApplication.translate("ExchangeForm", u"Credit", None))
#if QT_CONFIG(accessibility)
        self.returnedTable.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Returned items", None))
#endif // QT_CONFIG(accessibility)
        self.requestedGroup.setTitle(QCoreApplication.translate("ExchangeForm", u"New items", None))
        ___qtablewidgetitem9 = self.requestedTable.horizontalHeaderItem(0)
        ___qtablewidgetitem9.setText(QCoreApplication.translate("ExchangeForm", u"Item", None))
        ___qtablewidgetitem10 = self.requestedTable.horizontalHeaderItem(1)
        ___qtablewidgetitem10.setText(QCoreApplication.translate("ExchangeForm", u"Qty", None))
        ___qtablewidgetitem11 = self.requestedTable.horizontalHeaderItem(2)
        ___qtablewidgetitem11.setText(QCoreApplication.translate("ExchangeForm", u"In stock", None))
        ___qtablewidgetitem12 = self.requestedTable.horizontalHeaderItem(3)
        ___qtablewidgetitem12.setText(QCoreApplication.translate("ExchangeForm", u"Price", None))
        ___qtablewidgetitem13 = self.requestedTable.horizontalHeaderItem(4)
        ___qtablewidgetitem13.setText(QCoreApplication.translate("ExchangeForm", u"Tax", None))
        ___qtablewidgetitem14 = self.requestedTable.horizontalHeaderItem(5)
        ___qtablewidgetitem14.setText(QCoreApplication.translate("ExchangeForm", u"Total", None))
#if QT_CONFIG(accessibility)
        self.requestedTable.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"New items", None))
#endif // QT_CONFIG(accessibility)
        self.exchangeNumberLabel.setText(QCoreApplication.translate("ExchangeForm", u"New exchange", None))
#if QT_CONFIG(accessibility)
        self.exchangeNumberLabel.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Exchange number and state", None))
#endif // QT_CONFIG(accessibility)
        self.valuationGroup.setTitle(QCoreApplication.translate("ExchangeForm", u"Valuation", None))
        self.returnedCreditCaption.setText(QCoreApplication.translate("ExchangeForm", u"Returned credit", None))
#if QT_CONFIG(accessibility)
        self.returnedCreditValue.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Returned credit", None))
#endif // QT_CONFIG(accessibility)
        self.newTotalCaption.setText(QCoreApplication.translate("ExchangeForm", u"New total", None))
#if QT_CONFIG(accessibility)
        self.newTotalValue.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"New total", None))
#endif // QT_CONFIG(accessibility)
        self.newNetCaption.setText(QCoreApplication.translate("ExchangeForm", u"New before tax", None))
#if QT_CONFIG(accessibility)
        self.newNetValue.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"New items before tax", None))
#endif // QT_CONFIG(accessibility)
        self.newTaxCaption.setText(QCoreApplication.translate("ExchangeForm", u"Tax on new", None))
#if QT_CONFIG(accessibility)
        self.newTaxValue.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Tax on new items", None))
#endif // QT_CONFIG(accessibility)
        self.paidCaption.setText(QCoreApplication.translate("ExchangeForm", u"Paid so far", None))
#if QT_CONFIG(accessibility)
        self.paidValue.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Paid so far", None))
#endif // QT_CONFIG(accessibility)
        self.dueCaption.setText(QCoreApplication.translate("ExchangeForm", u"Still due", None))
#if QT_CONFIG(accessibility)
        self.dueValue.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Exact amount still due", None))
#endif // QT_CONFIG(accessibility)
        self.gapLabel.setText(QCoreApplication.translate("ExchangeForm", u"Scan the items", None))
#if QT_CONFIG(accessibility)
        self.gapLabel.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Amount the customer pays or gets back", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.findingsList.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Policy results", None))
#endif // QT_CONFIG(accessibility)
        self.approvalGroup.setTitle(QCoreApplication.translate("ExchangeForm", u"Manager approval", None))
#if QT_CONFIG(accessibility)
        self.approvalInfoLabel.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Why approval is needed", None))
#endif // QT_CONFIG(accessibility)
        self.approverLabel.setText(QCoreApplication.translate("ExchangeForm", u"Manager ID or badge", None))
#if QT_CONFIG(accessibility)
        self.approverEdit.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Manager ID or badge", None))
#endif // QT_CONFIG(accessibility)
        self.approverPinLabel.setText(QCoreApplication.translate("ExchangeForm", u"Manager PIN", None))
#if QT_CONFIG(accessibility)
        self.approverPinEdit.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Manager PIN", None))
#endif // QT_CONFIG(accessibility)
        self.approvalReasonLabel.setText(QCoreApplication.translate("ExchangeForm", u"Reason", None))
#if QT_CONFIG(accessibility)
        self.approvalReasonCombo.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Approval reason", None))
#endif // QT_CONFIG(accessibility)
        self.approveButton.setText(QCoreApplication.translate("ExchangeForm", u"Approve (F9)", None))
#if QT_CONFIG(accessibility)
        self.approveButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Approve the exchange", None))
#endif // QT_CONFIG(accessibility)
        self.paymentGroup.setTitle(QCoreApplication.translate("ExchangeForm", u"Payment", None))
        self.cashTenderedLabel.setText(QCoreApplication.translate("ExchangeForm", u"Cash tendered", None))
#if QT_CONFIG(accessibility)
        self.cashTenderedEdit.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Cash tendered", None))
#endif // QT_CONFIG(accessibility)
        self.payCashButton.setText(QCoreApplication.translate("ExchangeForm", u"Cash (F10)", None))
#if QT_CONFIG(accessibility)
        self.payCashButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Take cash", None))
#endif // QT_CONFIG(accessibility)
        self.quickExactButton.setText(QCoreApplication.translate("ExchangeForm", u"Exact", None))
#if QT_CONFIG(accessibility)
        self.quickExactButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Cash: the exact amount (Ctrl+1)", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.quickNote1Button.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Cash: the next note (Ctrl+2)", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.quickNote2Button.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Cash: the note after (Ctrl+3)", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.quickNote3Button.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Cash: the largest note (Ctrl+4)", None))
#endif // QT_CONFIG(accessibility)
        self.cardAmountLabel.setText(QCoreApplication.translate("ExchangeForm", u"Card amount", None))
        self.cardAmountEdit.setPlaceholderText(QCoreApplication.translate("ExchangeForm", u"all that is due", None))
#if QT_CONFIG(accessibility)
        self.cardAmountEdit.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Card amount", None))
#endif // QT_CONFIG(accessibility)
        self.payCardButton.setText(QCoreApplication.translate("ExchangeForm", u"Card (F11)", None))
#if QT_CONFIG(accessibility)
        self.payCardButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Pay by card on the terminal", None))
#endif // QT_CONFIG(accessibility)
        self.cancelCardButton.setText(QCoreApplication.translate("ExchangeForm", u"Cancel card (Esc)", None))
#if QT_CONFIG(accessibility)
        self.cancelCardButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Cancel the card payment", None))
#endif // QT_CONFIG(accessibility)
        self.testCardLabel.setText(QCoreApplication.translate("ExchangeForm", u"Demo card", None))
#if QT_CONFIG(accessibility)
        self.testCardCombo.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Card the simulated customer presents", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.cardStatusLabel.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Card terminal status", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.cardProgress.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Waiting for the card", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.tendersList.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Payments and refunds", None))
#endif // QT_CONFIG(accessibility)
        self.removeLineButton.setText(QCoreApplication.translate("ExchangeForm", u"Remove line (Del)", None))
#if QT_CONFIG(accessibility)
        self.removeLineButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Remove the selected line", None))
#endif // QT_CONFIG(accessibility)
        self.cancelExchangeButton.setText(QCoreApplication.translate("ExchangeForm", u"Cancel exchange (Ctrl+Shift+X)", None))
#if QT_CONFIG(accessibility)
        self.cancelExchangeButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Cancel the exchange", None))
#endif // QT_CONFIG(accessibility)
        self.voidButton.setText(QCoreApplication.translate("ExchangeForm", u"Void (Ctrl+Shift+V)", None))
#if QT_CONFIG(accessibility)
        self.voidButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Void the exchange and refund its payments", None))
#endif // QT_CONFIG(accessibility)
        self.lockInButton.setText(QCoreApplication.translate("ExchangeForm", u"Lock in (F9)", None))
#if QT_CONFIG(accessibility)
        self.lockInButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Lock the exchange in", None))
#endif // QT_CONFIG(accessibility)
        self.finalizeButton.setText(QCoreApplication.translate("ExchangeForm", u"Finalize (F12)", None))
#if QT_CONFIG(accessibility)
        self.finalizeButton.setAccessibleName(QCoreApplication.translate("ExchangeForm", u"Finalize the exchange and print the receipt", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

