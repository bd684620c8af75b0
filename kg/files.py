"""Writing files atomically (readers see the old content or the new, never a half-written file), and
reading small UTF-8 text files with one clear error.

The temporary file is ``.NAME.PID.XXXX.tmp`` beside ``NAME``. A process killed while writing leaves
it behind; the next write of the same file removes every such leftover whose process is gone.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError


@contextmanager
def atomic_output(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` only when the block succeeds.

    The data goes to a temporary file in the same directory, is flushed to disk and then
    renamed over ``path`` (atomic on POSIX); on any error the temporary file is removed and
    an existing ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read_text_lines(path: Path | str, *, what: str, fix: str) -> list[str]:
    """The lines of a UTF-8 text file; an unreadable one is an ``InputError`` naming ``what`` and ``fix``."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the {what} ({e}); {fix}", path=str(path)) from e


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Remove the ``.NAME.*.tmp`` files that interrupted writes of ``path`` left; return them.

    A temporary file whose writer is still running (its pid is in the name) is left alone.
    """
    path = Path(path)
    removed = []
    prefix = f".{path.name}."
    try:
        candidates = [p for p in path.parent.iterdir()
                      if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return removed
    for tmp in candidates:
        middle = tmp.name[len(prefix):-len(".tmp")]
        pid = middle.split(".", 1)[0]
        if pid.isdigit() and "." in middle and _alive(int(pid)):
            continue
        with suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed
