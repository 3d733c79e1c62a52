"""What the desktop app remembers between runs, in ``QSettings`` (never in the database).

The user's name (written into every audit entry), whether marked quotes include their quotation
marks, whether suggestions are shown, the recent databases, the article last shown in each
database, and the window's geometry and dock layout. Paths and URLs of data live in the core
(:mod:`annotator.paths`); this is only the GUI's own state.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "quote-annotator"
APPLICATION = "quote-annotator"
MAX_RECENT = 8


class AppSettings:
    """Typed access to the app's ``QSettings`` (INI file in the user's config directory on Linux)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings if qsettings is not None else QSettings(ORGANIZATION, APPLICATION)

    def sync(self) -> None:
        self._s.sync()

    # -- who ---------------------------------------------------------------------------------------

    @property
    def user_name(self) -> str | None:
        name = str(self._s.value("user/name", "") or "").strip()
        return name or None

    @user_name.setter
    def user_name(self, name: str) -> None:
        self._s.setValue("user/name", name.strip())

    # -- annotating --------------------------------------------------------------------------------

    @property
    def include_quote_marks(self) -> bool:
        """True: a marked quote grows over the quotation marks around it; False: it never holds them."""
        return bool(self._s.value("annotating/include_quote_marks", False, type=bool))

    @include_quote_marks.setter
    def include_quote_marks(self, value: bool) -> None:
        self._s.setValue("annotating/include_quote_marks", bool(value))

    @property
    def show_suggestions(self) -> bool:
        """True: the reader outlines the suggested quotes and the Suggestions tab lists them."""
        return bool(self._s.value("annotating/show_suggestions", True, type=bool))

    @show_suggestions.setter
    def show_suggestions(self, value: bool) -> None:
        self._s.setValue("annotating/show_suggestions", bool(value))

    # -- databases ---------------------------------------------------------------------------------

    @property
    def recent_databases(self) -> list[str]:
        value = self._s.value("databases/recent", [], type=list)
        return [str(v) for v in value if v] if isinstance(value, list) else []

    def add_recent_database(self, url: str) -> None:
        recent = [u for u in self.recent_databases if u != url]
        self._s.setValue("databases/recent", [url, *recent][:MAX_RECENT])

    def last_article(self, url: str) -> int | None:
        value = self._s.value(f"databases/last_article/{_key(url)}", None)
        if not isinstance(value, int | str):
            return None
        try:
            return int(value)
        except ValueError:
            return None

    def set_last_article(self, url: str, article_id: int | None) -> None:
        key = f"databases/last_article/{_key(url)}"
        if article_id is None:
            self._s.remove(key)
        else:
            self._s.setValue(key, int(article_id))

    # -- exports -----------------------------------------------------------------------------------

    @property
    def export_directory(self) -> str | None:
        return str(self._s.value("export/directory", "") or "") or None

    @export_directory.setter
    def export_directory(self, path: str) -> None:
        self._s.setValue("export/directory", path)

    @property
    def import_directory(self) -> str | None:
        return str(self._s.value("import/directory", "") or "") or None

    @import_directory.setter
    def import_directory(self, path: str) -> None:
        self._s.setValue("import/directory", path)

    # -- window ------------------------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self._s.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)


def _key(url: str) -> str:
    """A settings key for a database URL (QSettings keys cannot hold every character)."""
    import hashlib

    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
