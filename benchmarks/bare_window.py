"""Baseline for benchmarks/startup.py: a bare PySide6 window the size of the screen, quit after its first paint."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


class Window(QWidget):
    painted = False

    def paintEvent(self, event):  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            # Report once the paint event has completed, exactly like the kiosk's "first paint".
            QTimer.singleShot(0, self.report)

    def report(self):
        print("first-paint", flush=True)
        QApplication.instance().quit()


app = QApplication(sys.argv)
window = Window()
window.setGeometry(app.primaryScreen().geometry())
window.show()
sys.exit(app.exec())
