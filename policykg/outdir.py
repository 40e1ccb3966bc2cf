"""The output folder of a build: usable or refused up front, one build at a time, no litter.

A build writes beside its final files (``.build-*`` work folders, ``.store.new-*`` staging
stores, ``.store.old-*`` retired ones) and renames them in. A build that is killed
(SIGKILL, a power cut) cannot remove them, and nothing else would: they pile up. The build
therefore holds an exclusive lock on the output folder itself (``flock`` on its directory
descriptor, released by the kernel however the process ends) and, once it holds it,
removes the temporary folders it finds: with the lock held, no live build can own them.
A second build into the same folder is refused instead of deleting the first one's work.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from policykg.extract.errors import os_words

TEMP_PREFIXES = (".build-", ".shards-", ".runs-")
"""Work folders of ``policykg build`` and of the distributed build, directly in ``out``."""


class OutputError(Exception):
    """The output folder cannot be used (missing and not creatable, read-only, a file)."""


class OutputBusy(Exception):
    """Another build holds the output folder."""


def _temporaries(out: Path, store_name: str) -> list[Path]:
    prefixes = (*TEMP_PREFIXES, f".{store_name}.new-", f".{store_name}.old-")
    return sorted(p for p in out.iterdir() if p.name.startswith(prefixes))


def _refused(out: Path, what: str, err: OSError) -> OutputError:
    return OutputError(f"{out}: {what}: {os_words(err, name=False)}")


@contextmanager
def claim(out: Path, store_name: str = "store") -> Iterator[tuple[Path, list[str]]]:
    """Hold ``out`` for one build: yields a fresh work folder in it and the stale ones removed.

    Raises :class:`OutputError` when ``out`` cannot be created or written, and
    :class:`OutputBusy` when another build holds it. The work folder is removed on exit.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out}: not a folder") from None
    except OSError as err:
        raise _refused(out, "cannot create the output folder", err) from None
    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as err:
        raise _refused(out, "cannot open the output folder", err) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(f"{out}: another build is writing into this folder") from None
        removed = []
        for stale in _temporaries(out, store_name):
            shutil.rmtree(stale, ignore_errors=True)
            if not stale.exists():
                removed.append(stale.name)
        try:
            work = Path(tempfile.mkdtemp(dir=out, prefix=".build-"))
        except OSError as err:
            raise _refused(out, "cannot write into the output folder", err) from None
        try:
            yield work, removed
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        os.close(fd)  # releases the lock
