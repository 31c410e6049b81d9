# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'receipt.ui'
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
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_ReceiptForm(object):
    def setupUi(self, ReceiptForm):
        if not ReceiptForm.objectName():
            ReceiptForm.setObjectName(u"ReceiptForm")
        ReceiptForm.resize(900, 700)
        self.receiptLayout = QHBoxLayout(ReceiptForm)
        self.receiptLayout.setObjectName(u"receiptLayout")
        self.receiptPreview = QPlainTextEdit(ReceiptForm)
        self.receiptPreview.setObjectName(u"receiptPreview")
        self.receiptPreview.setMinimumSize(QSize(460, 0))
        self.receiptPreview.setReadOnly(True)

        self.receiptLayout.addWidget(self.receiptPreview)

        self.receiptActions = QVBoxLayout()
        self.receiptActions.setObjectName(u"receiptActions")
        self.receiptTitleLabel = QLabel(ReceiptForm)
        self.receiptTitleLabel.setObjectName(u"receiptTitleLabel")
        self.receiptTitleLabel.setWordWrap(True)

        self.receiptActions.addWidget(self.receiptTitleLabel)

        self.changeLabel = QLabel(ReceiptForm)
        self.changeLabel.setObjectName(u"changeLabel")
        self.changeLabel.setWordWrap(True)

        self.receiptActions.addWidget(self.changeLabel)

        self.printStatusLabel = QLabel(ReceiptForm)
        self.printStatusLabel.setObjectName(u"printStatusLabel")
        self.printStatusLabel.setWordWrap(True)

        self.receiptActions.addWidget(self.printStatusLabel)

        self.refundStatusLabel = QLabel(ReceiptForm)
        self.refundStatusLabel.setObjectName(u"refundStatusLabel")
        self.refundStatusLabel.setWordWrap(True)

        self.receiptActions.addWidget(self.refundStatusLabel)

        self.retryPrintButton = QPushButton(ReceiptForm)
        self.retryPrintButton.setObjectName(u"retryPrintButton")

        self.receiptActions.addWidget(self.retryPrintButton)

        self.openDrawerButton = QPushButton(ReceiptForm)
        self.openDrawerButton.setObjectName(u"openDrawerButton")

        self.receiptActions.addWidget(self.openDrawerButton)

        self.nextCustomerButton = QPushButton(ReceiptForm)
        self.nextCustomerButton.setObjectName(u"nextCustomerButton")

        self.receiptActions.addWidget(self.nextCustomerButton)

        self.receiptSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.receiptActions.addItem(self.receiptSpacer)


        self.receiptLayout.addLayout(self.receiptActions)

        self.receiptLayout.setStretch(1, 1)

        self.retranslateUi(ReceiptForm)
    # setupUi

    def retranslateUi(self, ReceiptForm):
        ReceiptForm.setWindowTitle(QCoreApplication.translate("ReceiptForm", u"Receipt", None))
#if QT_CONFIG(accessibility)
        self.receiptPreview.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Receipt preview", None))
#endif // QT_CONFIG(accessibility)
        self.receiptTitleLabel.setText(QCoreApplication.translate("ReceiptForm", u"Exchange finalized", None))
#if QT_CONFIG(accessibility)
        self.receiptTitleLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Exchange result", None))
#endif // QT_CONFIG(accessibility)
        self.changeLabel.setText("")
#if QT_CONFIG(accessibility)
        self.changeLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Change to hand back", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.printStatusLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Printer status", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.refundStatusLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Refund status", None))
#endif // QT_CONFIG(accessibility)
        self.retryPrintButton.setText(QCoreApplication.translate("ReceiptForm", u"Print again (F8)", None))
#if QT_CONFIG(accessibility)
        self.retryPrintButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Print the receipt again", None))
#endif // QT_CONFIG(accessibility)
        self.openDrawerButton.setText(QCoreApplication.translate("ReceiptForm", u"Open drawer (F7)", None))
#if QT_CONFIG(accessibility)
        self.openDrawerButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Open the cash drawer", None))
#endif // QT_CONFIG(accessibility)
        self.nextCustomerButton.setText(QCoreApplication.translate("ReceiptForm", u"Next customer (Enter)", None))
#if QT_CONFIG(accessibility)
        self.nextCustomerButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Start the next exchange", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

