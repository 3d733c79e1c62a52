"""Helpers and fixtures shared by the ``test_app_*`` tests: a real main window on a real SQLite file,
and ways to select text in the reader and press keys as a user would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QWidget

from ui.offsets import Utf16Index

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_articles"


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., object]]:
    """``make_window(url, user="ana")``: a shown, active main window with the database open."""
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    windows = []

    def make(url: str | None = None, *, user: str = "ana", size: tuple[int, int] = (1400, 900)):
        w = MainWindow(AppSettings())
        qtbot.addWidget(w)
        w.resize(*size)
        if url is not None:
            assert w.open_database(url, user=user)
        with qtbot.waitExposed(w):
            w.show()
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
        windows.append(w)
        return w

    yield make
    for w in windows:
        if w.isVisible():
            w.close()


@pytest.fixture
def db_url(service) -> str:
    """The URL of the shared ``service`` fixture's file (every sample article imported)."""
    return service.db.url


@pytest.fixture
def window(make_window, db_url):
    return make_window(db_url)


def show_article_named(window, filename: str) -> int:
    aid = next(s.article.id for s in window.service.articles() if s.article.filename == filename)
    window.show_article(aid)
    return aid


# -- the reader, as a user drives it ------------------------------------------------------------------


def _cursor_at(view, cp: int) -> QTextCursor:
    cursor = QTextCursor(view.document())
    cursor.setPosition(Utf16Index(view.text()).to_qt(cp))
    return cursor


def point_before(view, cp: int) -> QPoint:
    """Viewport point on the caret position just before code point ``cp``."""
    return view.cursorRect(_cursor_at(view, cp)).center()


def point_inside(view, cp: int) -> QPoint:
    left = view.cursorRect(_cursor_at(view, cp)).center()
    right = view.cursorRect(_cursor_at(view, cp + 1)).center()
    return QPoint((left.x() + right.x()) // 2, left.y())


def drag_select(qtbot, view, start: int, end: int) -> None:
    """Select ``[start, end)`` with the mouse: press before ``start``, drag, release before ``end``."""
    view.setTextCursor(_cursor_at(view, start))
    view.centerCursor()
    vp = view.viewport()
    assert vp.rect().contains(point_before(view, end)), "the end of the selection is out of view"
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=point_before(view, start))
    qtbot.mouseMove(vp, point_before(view, start + 1))
    qtbot.mouseMove(vp, point_before(view, (start + end) // 2))
    qtbot.mouseMove(vp, point_before(view, end))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=point_before(view, end))
    assert view.selected_range() == (start, end), view.selected_range()


def keyboard_select(qtbot, view, start: int, steps: int) -> None:
    """Put the caret before ``start`` and press Shift+Right ``steps`` times (one grapheme each)."""
    view.setTextCursor(_cursor_at(view, start))
    view.setFocus()
    for _ in range(steps):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def click_quote(qtbot, view, cp: int) -> None:
    view.setTextCursor(_cursor_at(view, cp))
    view.centerCursor()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_inside(view, cp))


def press(qtbot, widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press as the user makes it: on the focused widget (shortcuts included)."""
    qtbot.keyClick(widget, key, modifiers)


def top_level(kind: type, predicate: Callable[[QWidget], bool] = lambda w: True):
    """The visible top-level widgets of a type (dialogs opened with ``open()``)."""
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible() and predicate(w)
    ]
