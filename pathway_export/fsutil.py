"""File writing that never leaves a partial file behind, and never replaces what is not a file.

Every file this package writes goes through :func:`atomic_write_bytes`. What the user names as
the output decides how it is written:

- a regular file, or nothing yet: a temporary file in the same folder, renamed over it, so an
  interrupted write leaves the previous file intact; an existing file keeps its mode;
- a symbolic link: followed, and its final target written as above; the link stays a link;
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe): written through,
  never renamed over;
- a directory or anything else (a socket, a block device): refused with a :class:`WriteError`.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import WriteError


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` as the module docstring says; the folder is created if missing.

    Returns ``path`` as given (a link's name, not its target).
    """
    target = Path(path)
    try:
        mode = os.stat(target).st_mode  # through links, /dev/stdout's to a pipe included
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if mode is None or stat.S_ISREG(mode):
        _replace(target, Path(os.path.realpath(target)), data)
    elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        _write_through(target, data)
    elif stat.S_ISDIR(mode):
        raise WriteError(f"cannot write {target}: it is a directory; name a file to write "
                         f"(e.g. {target / 'output'})")
    else:
        raise WriteError(f"cannot write {target}: it is neither a file, a character device nor "
                         "a FIFO; name a file to write")
    return target


def _replace(target: Path, real: Path, data: bytes) -> None:
    """Write a temporary file beside ``real`` and rename it over ``real``."""
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(real))
        os.replace(tmp, real)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from exc
        raise


def _write_through(target: Path, data: bytes) -> None:
    """Write into a device or FIFO as it is (a FIFO waits for its reader)."""
    try:
        with open(target, "wb", buffering=0) as handle:
            view = memoryview(data)
            while view:
                view = view[handle.write(view):]
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from exc


def _mode_for(target: Path) -> int:
    """The mode an ordinary new file would get (the temporary file is private), or the old file's."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))
