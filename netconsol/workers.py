"""Worker processes die with the process that started them.

A scan's forked workers (the conflicts and topology workers, the collection pool) must not
outlive a scan killed with ``kill -9``: on Linux each asks the kernel for SIGKILL when its
parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread polls the parent's pid.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Call first thing in a child process; *parent*: the pid that started it (default: the
    current parent, which a child that was orphaned before this call no longer has)."""
    parent = os.getppid() if parent is None else parent
    done = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            done = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            done = False
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    if not done:
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, name="netconsol-parent-watch", daemon=True).start()
