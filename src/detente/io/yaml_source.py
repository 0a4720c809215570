"""Reading a YAML file into plain data, keeping the line of every node.

Error messages must point at the line a person wrote, so the file is parsed
once into PyYAML's node graph (``SafeLoader``), the line of every mapping key
and sequence item is recorded under its field path, and the same nodes are
then constructed into plain Python data exactly as ``yaml.safe_load`` would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from detente.errors import Problem, ScenarioError

FieldPath = tuple[Any, ...]
"""A path into parsed data: mapping keys and sequence indices, outermost first."""


@dataclass(frozen=True)
class YamlDocument:
    """Plain data of one YAML file with the 1-based line of every node.

    Attributes
    ----------
    file : str
        The file name as given by the caller, used in messages.
    data : Any
        The document as plain Python data (``yaml.safe_load`` semantics).
    lines : dict
        Field path -> 1-based line; for a mapping entry the line of its key,
        for a sequence item the line where the item starts, ``()`` for the root.
    duplicates : tuple of FieldPath
        Paths of mapping keys written more than once (the last one wins in ``data``).
    aliases : tuple of FieldPath
        Paths where an alias (``*name``) repeats a mapping or list already written:
        such repeats can loop or multiply a structure without bound.
    """

    file: str
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)
    duplicates: tuple[FieldPath, ...] = ()
    aliases: tuple[FieldPath, ...] = ()

    def line_of(self, path: FieldPath) -> int | None:
        """Line of ``path`` or, if the path is not in the file, of its nearest ancestor."""
        for k in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:k]))
            if line is not None:
                return line
        return None


class _Loader(yaml.SafeLoader):
    """``SafeLoader`` whose impossible dates (``2021-13-45``) are located errors."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """Build a date or datetime; an impossible one is an error at its node."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _fail(file: str, message: str, line: int | None = None, value: str | None = None) -> NoReturn:
    raise ScenarioError(file, [Problem(path="", message=message, line=line, value=value)])


def _read_text(path: Path, file: str) -> str:
    """Read ``path`` as UTF-8 text, turning every way this can fail into a ScenarioError."""
    if not path.exists():
        _fail(file, "file not found; expected the path of a YAML file")
    if path.is_dir():
        _fail(file, "is a directory; expected a YAML file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        _fail(file, f"cannot be read ({exc.strerror or exc}); expected a readable YAML file")
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


def _record_lines(
    node: yaml.Node,
    path: FieldPath,
    loader: yaml.SafeLoader,
    lines: dict[FieldPath, int],
    duplicates: list[FieldPath],
    seen: set[int],
    aliases: list[FieldPath] | None = None,
) -> None:
    """Walk the node graph, recording the line of every key and item under its path."""
    if id(node) in seen:  # an alias already walked: keep the first location, avoid cycles
        if aliases is not None and isinstance(node, yaml.CollectionNode):
            aliases.append(path)
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_here: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # complex keys are rejected when the data is constructed
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = loader.construct_object(key_node, deep=True)
            child = (*path, key)
            if key in keys_here:
                duplicates.append(child)
            keys_here.add(key)
            lines[child] = key_node.start_mark.line + 1
            _record_lines(value_node, child, loader, lines, duplicates, seen, aliases)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, i)
            lines[child] = item.start_mark.line + 1
            _record_lines(item, child, loader, lines, duplicates, seen, aliases)


def parse_yaml_text(text: str, file: str) -> YamlDocument:
    """Parse ``text`` (one YAML document) into data and a line map.

    Parameters
    ----------
    text : str
        YAML source.
    file : str
        Name used in error messages.

    Returns
    -------
    YamlDocument
        The data, the line of every node and any duplicated keys.

    Raises
    ------
    ScenarioError
        On a YAML syntax error (with line and column), on tags that safe YAML
        does not allow, or on nesting too deep to read.
    """
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(file=file, data=None, lines={(): 1})
        lines: dict[FieldPath, int] = {(): node.start_mark.line + 1}
        duplicates: list[FieldPath] = []
        aliases: list[FieldPath] = []
        _record_lines(node, (), loader, lines, duplicates, set(), aliases)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        where = f" at column {mark.column + 1}" if mark is not None else ""
        context = ""
        if exc.context and exc.problem:
            started = exc.context_mark
            at = "" if started is None else f" that starts on line {started.line + 1}"
            context = f" ({exc.context}{at})"
        kind = (
            "YAML value cannot be read"
            if isinstance(exc, yaml.constructor.ConstructorError)
            else "YAML syntax error"
        )
        _fail(
            file,
            f"{kind}{where}: {what}{context}",
            line=None if mark is None else mark.line + 1,
        )
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
    except RecursionError:
        _fail(file, "nesting is too deep to read; expected a scenario a person can edit")
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(
        file=file, data=data, lines=lines, duplicates=tuple(duplicates), aliases=tuple(aliases)
    )


def load_yaml_file(path: str | Path) -> YamlDocument:
    """Read the YAML file at ``path`` into data with the line of every node.

    Parameters
    ----------
    path : str or Path
        File to read.

    Returns
    -------
    YamlDocument
        Plain data (as ``yaml.safe_load`` gives it) and a field-path -> line map.

    Raises
    ------
    ScenarioError
        If the file is missing, a directory, binary, not UTF-8, or not valid YAML;
        the problem names the line where that is known.
    """
    file = str(path)
    text = _read_text(Path(path), file)
    return parse_yaml_text(text, file)
