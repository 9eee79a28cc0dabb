"""All-or-nothing output folders and the locks that keep two scans apart.

A scan writes everything into a staging folder beside ``--out`` (``.NAME.netconsol-new-PID``)
and, once every file is written, puts it in place of ``--out`` in one step: Linux's
``renameat2(RENAME_EXCHANGE)`` swaps the two folders atomically, then the old one is deleted.
Where that call is missing, ``--out`` is first renamed aside (``.NAME.netconsol-old-PID``) and
the staging folder renamed in; a scan killed between the two renames leaves the old folder,
which the next scan puts back before anything else.  So ``--out`` is always the previous
complete scan or the new complete one, never a mix.

A lock file beside ``--out`` (``.NAME.netconsol-lock``) and one beside the history database
(``DB.lock``) are held with ``flock`` for the whole scan / the recording: a second scan into
the same place stops at once with a message naming the holder.  ``flock`` locks die with their
process, so a killed scan never leaves a stale lock.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import contextlib
import errno
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import NetconsolError

__all__ = ["PathLock", "LockedError", "staging_dir", "publish", "recover", "sidecar_paths", "staged_output"]

_NEW, _OLD, _LOCK = ".netconsol-new-", ".netconsol-old-", ".netconsol-lock"


class LockedError(NetconsolError):
    """Another process holds the lock."""


def sidecar_paths(out: Path) -> list[Path]:
    """The lock file and any staging / set-aside folders of *out* (never inputs of a scan)."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    prefix = f".{out.name}"
    found = [parent / f"{prefix}{_LOCK}"]
    if parent.is_dir():
        found += [parent / n for n in os.listdir(parent) if n.startswith((prefix + _NEW, prefix + _OLD))]
    return found


class PathLock:
    """An exclusive ``flock`` on *path* (created), taken now; *wait* seconds to get it."""

    def __init__(self, path: Path, what: str, wait: float = 0.0):
        import fcntl

        self.path = Path(path)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(self._fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(self._fd, 64, 0).decode("ascii", "replace").strip() or "?"
                    os.close(self._fd)
                    raise LockedError(f"{what} is in use by another netconsol process (pid {holder}; lock "
                                      f"{str(self.path)!r}): wait for it to finish, or choose another path")
                time.sleep(0.1)
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, str(os.getpid()).encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def lock_out(out: Path) -> PathLock:
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    return PathLock(parent / f".{out.name}{_LOCK}", f"output folder {str(out)!r}")


def recover(out: Path) -> None:
    """Under the lock: put back a folder a killed scan set aside, and delete stale staging."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    prefix = f".{out.name}"
    for n in sorted(os.listdir(parent)):
        p = parent / n
        if n.startswith(prefix + _OLD):
            if not out.exists():
                os.rename(p, out)
            else:
                shutil.rmtree(p, ignore_errors=True)
        elif n.startswith(prefix + _NEW):
            shutil.rmtree(p, ignore_errors=True)


def staging_dir(out: Path) -> Path:
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    p = parent / f".{out.name}{_NEW}{os.getpid()}"
    shutil.rmtree(p, ignore_errors=True)
    p.mkdir(parents=True)
    return p


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the call is not available."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(p: Path) -> None:
    """Flush a folder's entries (the rename) to disk where the filesystem allows it.  Some (network
    mounts, tmpfs) refuse a folder's fsync: the rename is still made, only its durability across a
    power cut is the filesystem's, so that refusal is not an error of the scan."""
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


def publish(staged: Path, out: Path) -> None:
    """*staged* becomes *out* in one step; the previous *out* is deleted."""
    staged, out = Path(staged), Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    _fsync_dir(staged)
    if out.exists() and not out.is_dir():
        raise NetconsolError(f"--out {str(out)!r} exists and is not a folder")
    if not out.exists():
        os.rename(staged, out)
    elif _exchange(staged, out):
        shutil.rmtree(staged, ignore_errors=True)  # now the previous scan's files
    else:
        aside = parent / f".{out.name}{_OLD}{os.getpid()}"
        os.rename(out, aside)
        os.rename(staged, out)
        shutil.rmtree(aside, ignore_errors=True)
    _fsync_dir(parent)


@contextmanager
def staged_output(out: Path):
    """``with staged_output(out) as work:`` write into *work*; on a clean exit it becomes *out*
    in one step (:func:`publish`), on an exception or a kill *out* keeps its previous content.
    The lock of *out* is held throughout (a second writer stops at once, :class:`LockedError`)."""
    out = Path(out)
    if ".." in out.parts:
        raise NetconsolError(f"--out {str(out)!r}: '..' is not allowed; name the output directory directly")
    if out.exists() and not out.is_dir():
        raise NetconsolError(f"--out {str(out)!r} exists and is not a folder")
    lock = lock_out(out)
    try:
        recover(out)
        work = staging_dir(out)
        try:
            yield work
            publish(work, out)
        finally:
            shutil.rmtree(work, ignore_errors=True)  # gone already when published
    finally:
        lock.release()
