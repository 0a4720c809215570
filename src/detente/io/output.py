"""The one writer of output files (HTML report, PNG figures, exports): checked, atomic, no
leftovers.

Rules, for every file detente writes (``docs/outputs.md`` has the user's view):

- **Only regular files are replaced.** A folder, a device (``/dev/null``,
  ``/dev/stdout``), a FIFO or a socket at the path is an error, and so is a
  path written with a trailing ``/`` (it names a folder).
- **Symbolic links are refused**, not written through: replacing a link's
  target elsewhere on disk, or the link itself with a file, would both surprise
  someone. Give the target's own path instead.
- **Read-only files are refused**: a file without write permission was made so
  on purpose; renaming over it would defeat that.
- **Inputs are never overwritten**: an output that is the same file as an input
  of the command (same path after resolving links, or same inode) is an error.
- **Atomic**: data goes to a temporary file in the target's folder, is
  ``fsync``-ed, gets the permissions a plain ``open()`` would give (0o666 less
  the umask), and is renamed over the target. Several files (the figures) are
  all written first and renamed only when every one is complete.
- **Nothing left behind**: temporary files are removed on every error,
  ``KeyboardInterrupt`` and (in the CLI, which turns SIGTERM into an exit)
  termination; a full disk is a clear error. Temporary names are
  ``.<name>.detente-<pid>-<random>.tmp``; one left by a process killed outright
  (``kill -9``, power loss) is removed by the next write into that folder once
  its process no longer exists.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from detente.errors import DetenteError

PathLike = str | os.PathLike[str]
Writer = Callable[[BinaryIO], object]
"""Writes the content of one file into the open binary file it is given."""
PathWriter = Callable[[Path], object]
"""Writes the content of one file to the path it is given (for a writer that opens the
file itself, such as a database's ``COPY ... TO``); the path is a fresh temporary file."""

TEMP_MARK = ".detente-"
_TEMP = re.compile(r"^\.(?P<name>.+)\.detente-(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp$")


class OutputError(DetenteError):
    """An output path cannot or must not be written (see the module rules)."""


def file_mode() -> int:
    """Permissions a plain ``open()`` gives a new file: 0o666 less the process umask."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # no way to read the umask without setting it
    os.umask(mask)
    return 0o666 & ~mask


def _kind(mode: int) -> str:
    for test, words in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def _key(path: PathLike) -> str:
    """The path with every link and ``..`` resolved: equal keys, same file."""
    return os.path.realpath(os.fspath(path))


def _same_file(a: PathLike, b: PathLike) -> bool:
    if _key(a) == _key(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _show(path: PathLike) -> str:
    return repr(os.fspath(path))


def check_file(
    path: PathLike,
    *,
    what: str = "the output",
    inputs: Iterable[PathLike] = (),
    error: type[OutputError] = OutputError,
) -> Path:
    """Check that ``path`` may receive a new file; return it as a Path.

    Parameters
    ----------
    path : str or PathLike
        The file to write, as the user gave it (a trailing ``/`` is kept in a str).
    what : str
        What is written, for messages ("the report").
    inputs : iterable of paths
        Files the command reads; none of them may be overwritten.
    error : type
        The :class:`OutputError` subclass to raise.

    Raises
    ------
    OutputError
        Naming the path, what is wrong and what is expected.
    """
    text = os.fspath(path)
    where = f"cannot write {what} to {_show(text)}"
    if not text or text.endswith(("/", os.sep)):
        raise error(f"{where}: it names a folder; expected a file path such as report.html")
    target = Path(text)
    try:
        st = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        st = None  # a new file (a parent that is not a folder is reported below)
    except OSError as exc:
        raise error(f"{where}: {exc.strerror}") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise error(
                f"{where}: it is a symbolic link; links are not written through. "
                f"Give the path of the file itself ({_show(_key(text))}) or remove the link"
            )
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{where}: it is a folder; expected a file path such as report.html")
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{where}: it is {_kind(st.st_mode)}; only a regular file is replaced")
        for source in inputs:
            if _same_file(text, source):
                raise error(
                    f"{where}: it is the input file {_show(source)} of this command; "
                    "choose another name"
                )
        if not st.st_mode & 0o222 or not os.access(text, os.W_OK):
            raise error(f"{where}: the file is read-only; remove it or choose another name")
    parent = target.parent
    for folder in (parent, *parent.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise error(f"{where}: {_show(folder)} is not a folder")
            break
    return target


def check_folder(
    path: PathLike,
    names: Sequence[str],
    *,
    what: str = "the output",
    inputs: Iterable[PathLike] = (),
    error: type[OutputError] = OutputError,
) -> Path:
    """Check that folder ``path`` may receive files ``names``; return it as a Path.

    The folder may exist or not (it is created when written); each file in it is
    checked as by :func:`check_file`.
    """
    folder = Path(os.fspath(path))
    if folder.exists() and not folder.is_dir():
        mode = folder.stat().st_mode
        kind = "a file" if stat.S_ISREG(mode) else _kind(mode)
        raise error(f"cannot write {what} into {_show(path)}: it is {kind}; expected a folder")
    inputs = tuple(inputs)
    for name in names:
        check_file(folder / name, what=f"{what} ({name})", inputs=inputs, error=error)
    return folder


@dataclass
class OutputPlan:
    """Every output of one command, checked together before anything is computed.

    Besides each path's own checks (:func:`check_file`, :func:`check_folder`),
    two outputs may not be the same file, and a file may not stand where a
    folder of the plan must be.
    """

    inputs: tuple[PathLike, ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    """Resolved path -> the option that writes it."""
    folders: dict[str, str] = field(default_factory=dict)

    def file(self, path: PathLike, option: str, what: str) -> Path:
        """Add one output file (``option`` names it in messages, e.g. ``--html``)."""
        target = check_file(path, what=what, inputs=self.inputs)
        self._claim(target, f"{option} {os.fspath(path)}")
        return target

    def folder(self, path: PathLike, names: Sequence[str], option: str, what: str) -> Path:
        """Add a folder and the files to be written in it."""
        folder = check_folder(path, names, what=what, inputs=self.inputs)
        label = f"{option} {os.fspath(path)}"
        self._clash(_key(folder), label)
        self.folders[_key(folder)] = label
        for name in names:
            self._claim(folder / name, f"{label} (as {name})")
        return folder

    def _clash(self, key: str, label: str) -> None:
        """Refuse ``key`` if a planned file is it, or stands where a folder above it must be."""
        for other, other_label in self.files.items():
            if key == other or key.startswith(other.rstrip(os.sep) + os.sep):
                raise OutputError(
                    f"{label} needs {_show(other)} to be a folder, but {other_label} writes it "
                    "as a file; choose another name for one of them"
                )

    def _claim(self, target: Path, label: str) -> None:
        key = _key(target)
        if key in self.files:
            raise OutputError(
                f"{label} and {self.files[key]} would write the same file {_show(target)}; "
                "choose another name for one of them"
            )
        self._clash(key, label)
        for other, other_label in self.folders.items():
            if other == key or other.startswith(key.rstrip(os.sep) + os.sep):
                raise OutputError(
                    f"{label} would write a file where {other_label} needs a folder; "
                    "choose another name for one of them"
                )
        self.files[key] = label


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours to signal
        return True
    return True


def remove_stale_temporaries(folder: PathLike) -> list[Path]:
    """Remove temporary files of detente writers whose process no longer exists.

    Only names of the form ``.<name>.detente-<pid>-<random>.tmp`` are touched.
    Returns the files removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        pid = int(match["pid"])
        if pid == os.getpid() or _alive(pid):
            continue  # still being written
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{exc.strerror} (nothing was written; free some space and run again)"
    return exc.strerror or str(exc)


def write_files(
    files: Mapping[PathLike, Writer],
    *,
    what: str = "the output",
    inputs: Iterable[PathLike] = (),
    error: type[OutputError] = OutputError,
) -> list[Path]:
    """Write every file of ``files`` atomically; all are replaced only if all are written.

    Parameters
    ----------
    files : mapping
        Target path -> a function writing the content into an open binary file.
    what : str
        What is written, for messages.
    inputs : iterable of paths
        Files the command reads; none of them may be overwritten.
    error : type
        The :class:`OutputError` subclass to raise.

    Returns
    -------
    list of Path
        The files written, in the order given.

    Raises
    ------
    OutputError
        If a target may not be written (see the module rules), or writing fails
        (no space, no permission); no target is changed and no temporary is left.
    """
    fills = {path: _into_stream(writer) for path, writer in files.items()}
    return _write(fills, what=what, inputs=inputs, error=error)


def _into_stream(writer: Writer) -> Callable[[int, str], None]:
    def fill(fd: int, tmp: str) -> None:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())

    return fill


def _into_path(writer: PathWriter) -> Callable[[int, str], None]:
    def fill(fd: int, tmp: str) -> None:
        os.close(fd)
        writer(Path(tmp))
        fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    return fill


def _write(
    fills: Mapping[PathLike, Callable[[int, str], None]],
    *,
    what: str,
    inputs: Iterable[PathLike],
    error: type[OutputError],
) -> list[Path]:
    """Every file of ``fills`` (target -> ``fill(fd, temporary path)``) written atomically."""
    inputs = tuple(inputs)
    targets = [check_file(path, what=what, inputs=inputs, error=error) for path in fills]
    temps: list[str] = []
    current = targets[0] if targets else Path()
    try:
        for target, fill in zip(targets, fills.values(), strict=True):
            current = target
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(target.parent)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{target.name}{TEMP_MARK}{os.getpid()}-", suffix=".tmp", dir=target.parent
            )
            temps.append(tmp)
            fill(fd, tmp)
            os.chmod(tmp, file_mode())
        for target, tmp in zip(targets, temps, strict=True):
            current = target
            check_file(target, what=what, inputs=inputs, error=error)  # still safe to replace
            os.replace(tmp, target)
    except OSError as exc:
        raise error(f"cannot write {what} to {_show(current)}: {_reason(exc)}") from exc
    finally:
        for tmp in temps:
            with contextlib.suppress(OSError):  # renamed into place, or already gone
                os.unlink(tmp)
    return targets


def write_file(
    path: PathLike,
    writer: Writer,
    *,
    what: str = "the output",
    inputs: Iterable[PathLike] = (),
    error: type[OutputError] = OutputError,
) -> Path:
    """Write one file atomically (see :func:`write_files`); return its path."""
    return write_files({path: writer}, what=what, inputs=inputs, error=error)[0]


def write_file_at(
    path: PathLike,
    writer: PathWriter,
    *,
    what: str = "the output",
    inputs: Iterable[PathLike] = (),
    error: type[OutputError] = OutputError,
) -> Path:
    """Write one file atomically with a writer that opens the file itself; return its path.

    ``writer(temporary)`` writes the whole content to the temporary path it is given
    (an empty file of this writer's, in the target's folder); it is then synced, given
    the permissions of :func:`file_mode` and renamed over the target, under every rule
    of :func:`write_files`.
    """
    return _write({path: _into_path(writer)}, what=what, inputs=inputs, error=error)[0]
