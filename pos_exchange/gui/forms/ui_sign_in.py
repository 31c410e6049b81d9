# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'sign_in.ui'
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
from PySide6.QtWidgets import (QApplication, QFrame, QLabel, QLineEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_SignInForm(object):
    def setupUi(self, SignInForm):
        if not SignInForm.objectName():
            SignInForm.setObjectName(u"SignInForm")
        SignInForm.resize(900, 600)
        self.outerLayout = QVBoxLayout(SignInForm)
        self.outerLayout.setObjectName(u"outerLayout")
        self.topSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.topSpacer)

        self.signInCard = QFrame(SignInForm)
        self.signInCard.setObjectName(u"signInCard")
        self.signInCard.setMinimumSize(QSize(420, 0))
        self.cardLayout = QVBoxLayout(self.signInCard)
        self.cardLayout.setObjectName(u"cardLayout")
        self.storeLabel = QLabel(self.signInCard)
        self.storeLabel.setObjectName(u"storeLabel")
        self.storeLabel.setAlignment(Qt.AlignCenter)

        self.cardLayout.addWidget(self.storeLabel)

        self.signInTitle = QLabel(self.signInCard)
        self.signInTitle.setObjectName(u"signInTitle")
        self.signInTitle.setAlignment(Qt.AlignCenter)

        self.cardLayout.addWidget(self.signInTitle)

        self.employeeLabel = QLabel(self.signInCard)
        self.employeeLabel.setObjectName(u"employeeLabel")

        self.cardLayout.addWidget(self.employeeLabel)

        self.employeeEdit = QLineEdit(self.signInCard)
        self.employeeEdit.setObjectName(u"employeeEdit")

        self.cardLayout.addWidget(self.employeeEdit)

        self.pinLabel = QLabel(self.signInCard)
        self.pinLabel.setObjectName(u"pinLabel")

        self.cardLayout.addWidget(self.pinLabel)

        self.pinEdit = QLineEdit(self.signInCard)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setEchoMode(QLineEdit.Password)
        self.pinEdit.setMaxLength(12)

        self.cardLayout.addWidget(self.pinEdit)

        self.signInButton = QPushButton(self.signInCard)
        self.signInButton.setObjectName(u"signInButton")

        self.cardLayout.addWidget(self.signInButton)

        self.signInMessage = QLabel(self.signInCard)
        self.signInMessage.setObjectName(u"signInMessage")
        self.signInMessage.setMinimumSize(QSize(0, 48))
        self.signInMessage.setWordWrap(True)

        self.cardLayout.addWidget(self.signInMessage)


        self.outerLayout.addWidget(self.signInCard, 0, Qt.AlignHCenter)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.bottomSpacer)

#if QT_CONFIG(shortcut)
        self.employeeLabel.setBuddy(self.employeeEdit)
        self.pinLabel.setBuddy(self.pinEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.employeeEdit, self.pinEdit)
        QWidget.setTabOrder(self.pinEdit, self.signInButton)

        self.retranslateUi(SignInForm)
    # setupUi

    def retranslateUi(self, SignInForm):
        SignInForm.setWindowTitle(QCoreApplication.translate("SignInForm", u"Sign in", None))
        self.storeLabel.setText(QCoreApplication.translate("SignInForm", u"Store", None))
        self.signInTitle.setText(QCoreApplication.translate("SignInForm", u"Sign in to the counter", None))
        self.employeeLabel.setText(QCoreApplication.translate("SignInForm", u"&Employee ID or badge", None))
        self.employeeEdit.setPlaceholderText(QCoreApplication.translate("SignInForm", u"Type your ID or scan your badge", None))
#if QT_CONFIG(accessibility)
        self.employeeEdit.setAccessibleName(QCoreApplication.translate("SignInForm", u"Employee ID or badge", None))
#endif // QT_CONFIG(accessibility)
        self.pinLabel.setText(QCoreApplication.translate("SignInForm", u"&PIN", None))
        self.pinEdit.setPlaceholderText(QCoreApplication.translate("SignInForm", u"4 to 12 digits", None))
#if QT_CONFIG(accessibility)
        self.pinEdit.setAccessibleName(QCoreApplication.translate("SignInForm", u"PIN", None))
#endif // QT_CONFIG(accessibility)
        self.signInButton.setText(QCoreApplication.translate("SignInForm", u"Sign in (Enter)", None))
#if QT_CONFIG(accessibility)
        self.signInButton.setAccessibleName(QCoreApplication.translate("SignInForm", u"Sign in", None))
#endif // QT_CONFIG(accessibility)
        self.signInMessage.setText("")
#if QT_CONFIG(accessibility)
        self.signInMessage.setAccessibleName(QCoreApplication.translate("SignInForm", u"Sign-in message", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

