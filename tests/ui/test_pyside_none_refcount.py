"""Regression test for a measured PySide6 trap.

PySide6 6.12.0 on Python 3.11 decrements the reference count of ``None`` on every call of a Qt
method that returns nothing, and the interpreter aborts after a few thousand calls with
"Fatal Python error: none_dealloc". pyproject.toml pins PySide6 below 6.12 on Python 3.11; this
test fails loudly if an install ever picks a build with the bug. It runs in a subprocess because
the failure mode is an abort of the whole interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 100_000

SCRIPT = textwrap.dedent(
    f"""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])
    obj = QObject()
    widget = QWidget()
    samples = [sys.getrefcount(None)]
    for i in range({CALLS}):
        obj.setObjectName("x")      # void QObject method
        widget.setEnabled(True)     # void QWidget method
        if i % 10_000 == 9_999:
            samples.append(sys.getrefcount(None))
    print("refcounts", *samples)
    # Immortal None (3.12+) reports a huge constant; on 3.11 the count may wobble a little but
    # must not fall by about one per call.
    drop = samples[0] - samples[-1]
    if drop > 1000:
        print("None's refcount dropped by", drop, file=sys.stderr)
        sys.exit(3)
    """
)


def test_void_qt_calls_do_not_leak_references_to_none() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, (
        f"subprocess exited {proc.returncode} (a negative code is a signal, e.g. -6 = abort)\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    assert "refcounts" in proc.stdout
