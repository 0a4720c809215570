"""Reading a YAML file into plain data, keeping the line of every node.

This is the one reader of every YAML file a user gives detente (scenarios,
treaty files, and any later spec). Error messages must point at the line a
person wrote, so the file is parsed once into a node tree in the dialect of
:mod:`detente.io.yaml_core` (YAML 1.2 core types; no aliases or merge keys;
bounded node count and nesting), the line of every mapping key and sequence
item is recorded under its field path, and the same nodes are then constructed
into plain Python data.

Before anything is read the path is checked: it must be a regular file (not a
FIFO, a device such as ``/dev/zero``, a socket or a folder) of at most
:data:`MAX_FILE_BYTES` bytes, and no more than that is ever read from it.
A key written twice in one mapping and a merge key (``<<``) are errors at their
line, not a silent last-one-wins.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.constructor import ConstructorError

from detente.errors import Problem, ScenarioError
from detente.io.yaml_core import MERGE, CoreConstructor, CoreLoader, RefusedError

FieldPath = tuple[Any, ...]
"""A path into parsed data: mapping keys and sequence indices, outermost first."""

MAX_FILE_BYTES = 1 << 20
"""Largest YAML file read, in bytes (1 MiB).

The largest built-in posture is 54 KB; a scenario with three such postures
written inline is about 170 KB. Raise it here if a real file needs more.
"""


@dataclass(frozen=True)
class YamlDocument:
    """Plain data of one YAML file with the 1-based line of every node.

    Attributes
    ----------
    file : str
        The file name as given by the caller, used in messages.
    data : Any
        The document as plain Python data (mappings, lists, text, numbers,
        true/false and null, by the YAML 1.2 core schema).
    lines : dict
        Field path -> 1-based line; for a mapping entry the line of its key,
        for a sequence item the line where the item starts, ``()`` for the root.
    """

    file: str
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def line_of(self, path: FieldPath) -> int | None:
        """Line of ``path`` or, if the path is not in the file, of its nearest ancestor."""
        for k in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:k]))
            if line is not None:
                return line
        return None


def _fail(file: str, message: str, line: int | None = None, value: str | None = None) -> NoReturn:
    raise ScenarioError(file, [Problem(path="", message=message, line=line, value=value)])


_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a named pipe (FIFO)"),
    (stat.S_ISCHR, "is a character device"),
    (stat.S_ISBLK, "is a block device"),
    (stat.S_ISSOCK, "is a socket"),
)


def _not_regular(mode: int) -> str:
    for test, words in _KINDS:
        if test(mode):
            return words
    return "is not a regular file"


def _read_bytes(path: Path, file: str) -> bytes:
    """At most MAX_FILE_BYTES bytes of the regular file at ``path``; anything else fails.

    The path is checked with ``stat`` before it is opened (opening some devices
    has side effects, and reading a FIFO blocks), opened without blocking, and
    checked again on the open descriptor in case it was swapped in between.
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        _fail(file, "file not found; expected the path of a YAML file")
    except OSError as exc:
        _fail(file, f"cannot be read ({exc.strerror or exc}); expected a readable YAML file")
    if not stat.S_ISREG(before.st_mode):
        _fail(file, f"{_not_regular(before.st_mode)}; expected a regular YAML file")
    too_big = (
        f"is larger than {MAX_FILE_BYTES:,} bytes; larger files are refused "
        "(MAX_FILE_BYTES, see docs/limits.md)"
    )
    if before.st_size > MAX_FILE_BYTES:
        _fail(file, too_big)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        _fail(file, f"cannot be read ({exc.strerror or exc}); expected a readable YAML file")
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            _fail(file, f"{_not_regular(opened.st_mode)}; expected a regular YAML file")
        chunks: list[bytes] = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        _fail(file, f"cannot be read ({exc.strerror or exc}); expected a readable YAML file")
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > MAX_FILE_BYTES:
        _fail(file, too_big)
    return raw


def _read_text(path: Path, file: str) -> str:
    """Read ``path`` as UTF-8 text, turning every way this can fail into a ScenarioError."""
    raw = _read_bytes(path, file)
    nul = raw.find(b"\x00")
    if nul >= 0:
        _fail(
            file,
            "looks like a binary file (it contains NUL bytes); expected YAML text",
            line=raw[:nul].count(b"\n") + 1,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(
            file,
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            line=raw[: exc.start].count(b"\n") + 1,
        )
    return text


def _dotted(path: FieldPath) -> str:
    return ".".join(str(p) for p in path)


def _record_lines(
    node: yaml.Node,
    path: FieldPath,
    loader: CoreConstructor,
    lines: dict[FieldPath, int],
    problems: list[Problem],
) -> None:
    """Walk the node tree, recording the line of every key and item under its path.

    Keys written twice in one mapping and merge keys are added to ``problems``.
    """
    if isinstance(node, yaml.MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == MERGE or (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "<<"
                and not key_node.style  # plain: None, or "" from libyaml
            ):
                problems.append(
                    Problem(
                        _dotted(path),
                        "a merge key (<<) is not supported; write the fields out in full",
                        line,
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # complex keys are rejected when the data is constructed
            key = loader.construct_object(key_node, deep=True)
            child = (*path, key)
            if key in first_line:
                problems.append(
                    Problem(
                        _dotted(child),
                        f"key is written more than once (first on line {first_line[key]}); "
                        "keep one",
                        line,
                    )
                )
                continue
            first_line[key] = line
            lines[child] = line
            _record_lines(value_node, child, loader, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, i)
            lines[child] = item.start_mark.line + 1
            _record_lines(item, child, loader, lines, problems)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "invalid YAML"
    line = None if mark is None else mark.line + 1
    where = f" at column {mark.column + 1}" if mark is not None else ""
    context = ""
    if exc.context and exc.problem:
        started = exc.context_mark
        at = "" if started is None else f" that starts on line {started.line + 1}"
        context = f" ({exc.context}{at})"
    kind = "YAML value cannot be read" if isinstance(exc, ConstructorError) else "YAML syntax error"
    return Problem(path="", message=f"{kind}{where}: {what}{context}", line=line)


def parse_yaml_text(text: str, file: str) -> YamlDocument:
    """Parse ``text`` (one YAML document) into data and a line map.

    Parameters
    ----------
    text : str
        YAML source, at most :data:`MAX_FILE_BYTES` characters.
    file : str
        Name used in error messages.

    Returns
    -------
    YamlDocument
        The data and the line of every node.

    Raises
    ------
    ScenarioError
        On a YAML syntax error (with line and column); on a tag outside the
        YAML 1.2 core schema; on an alias, a merge key or a key written twice;
        on more nodes or deeper nesting than the limits of
        :mod:`detente.io.yaml_core` allow.
    """
    if len(text) > MAX_FILE_BYTES:
        _fail(file, f"is longer than {MAX_FILE_BYTES:,} characters; longer text is refused")
    loader: Any = None
    problems: list[Problem] = []
    try:
        loader = CoreLoader(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(file=file, data=None, lines={(): 1})
        lines: dict[FieldPath, int] = {(): node.start_mark.line + 1}
        _record_lines(node, (), loader, lines, problems)
        if problems:
            raise ScenarioError(file, sorted(problems, key=lambda p: p.line or 0))
        data = loader.construct_document(node)
    except RefusedError as exc:
        _fail(file, exc.message, line=exc.line)
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError(file, [_yaml_problem(exc)]) from None
    except yaml.reader.ReaderError as exc:
        _fail(
            file,
            f"character {exc.character:#06x} is not allowed in YAML ({exc.reason}); "
            "remove it or write it as an escape in a double-quoted string",
            line=text[: exc.position].count("\n") + 1,
        )
    except yaml.YAMLError as exc:
        _fail(file, f"YAML error: {exc}")
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor gave up
        _fail(file, f"YAML value cannot be read ({exc})")
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(file=file, data=data, lines=lines)


def load_yaml_file(path: str | Path) -> YamlDocument:
    """Read the YAML file at ``path`` into data with the line of every node.

    Parameters
    ----------
    path : str or Path
        File to read.

    Returns
    -------
    YamlDocument
        Plain data and a field-path -> line map.

    Raises
    ------
    ScenarioError
        If the file is missing, not a regular file, larger than
        :data:`MAX_FILE_BYTES`, binary, not UTF-8, or not valid YAML in the
        dialect of :mod:`detente.io.yaml_core`; the problem names the line
        where that is known.
    """
    file = str(path)
    text = _read_text(Path(path), file)
    return parse_yaml_text(text, file)
