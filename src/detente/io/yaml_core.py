"""The YAML dialect every input file is read in: YAML 1.2 core types, no aliases, bounded.

PyYAML implements YAML 1.1, whose implicit types change what a person wrote
without a word: ``4:30`` is the sexagesimal number 270, ``yes``/``no``/``on``/
``off`` are booleans, ``017`` is octal 15 and ``1_000`` is 1000. The loader
here resolves plain scalars by the YAML 1.2 *core schema* instead
(https://yaml.org/spec/1.2.2/#1032-tag-resolution):

- null: ``~``, ``null``, ``Null``, ``NULL`` or nothing;
- booleans: ``true``/``false`` (also ``True``, ``TRUE``, ``False``, ``FALSE``);
- integers: decimal ``[-+]?[0-9]+``, octal ``0o17``, hexadecimal ``0x1F``;
- floats: ``1.5``, ``.5``, ``1e3``, ``-2.5E-3``, ``.inf``, ``-.inf``, ``.nan``;
- everything else is a string (``4:30``, ``yes``, ``2021-07-28``).

Only the core tags construct (``!!str``, ``!!int``, ``!!float``, ``!!bool``,
``!!null``, ``!!map``, ``!!seq``); any other tag (``!!binary``, ``!!set``,
``!!python/...``) is an error at its line.

The composer refuses what could make a small file expensive, before any
structure is built: aliases (``*name``, also behind a merge key ``<<: *name``),
more than :data:`MAX_NODES` nodes, and nesting deeper than :data:`MAX_DEPTH`.
Without aliases the node graph is a tree no larger than the file, so
constructing it costs time and memory in proportion to the file.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

MAX_NODES = 50_000
"""Most YAML nodes (scalars, mappings, lists; keys count) in one file.

The largest built-in posture has about 3,700 nodes; a scenario with three such
postures written inline has about 11,000. Raise it here if a real file needs more.
"""

MAX_DEPTH = 32
"""Deepest nesting of mappings and lists in one file.

Scenario files nest about 9 levels deep (scenario, sides, side, override,
systems, system, cite, citation). Raise it here if a real file needs more.
"""

_T = "tag:yaml.org,2002:"
NULL, BOOL, INT, FLOAT, STR, SEQ, MAP = (
    f"{_T}{name}" for name in ("null", "bool", "int", "float", "str", "seq", "map")
)
MERGE = f"{_T}merge"

_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_FLOAT = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)


class RefusedError(yaml.YAMLError):
    """A construct this dialect refuses (alias, too many nodes, too deep), at its line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        """1-based line of the refused construct."""


class CoreResolver(BaseResolver):
    """Resolves plain scalars by the YAML 1.2 core schema only."""


CoreResolver.yaml_implicit_resolvers = {}  # its own table, none of YAML 1.1's

CoreResolver.add_implicit_resolver(NULL, _NULL, ["~", "n", "N", ""])
CoreResolver.add_implicit_resolver(BOOL, _BOOL, list("tTfF"))
CoreResolver.add_implicit_resolver(INT, _INT, list("-+0123456789"))
CoreResolver.add_implicit_resolver(FLOAT, _FLOAT, list("-+0123456789."))


class CoreConstructor(SafeConstructor):
    """Constructs the core tags, with YAML 1.2 meaning; every other tag is an error."""

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Leave merge keys alone: the reader refuses them with their location."""

    def construct_core_null(self, node: yaml.ScalarNode) -> None:
        """``~``, ``null`` or nothing."""
        if not _NULL.match(str(self.construct_scalar(node))):
            raise self._bad(node, "null")

    def construct_core_bool(self, node: yaml.ScalarNode) -> bool:
        """``true`` or ``false`` (any of the three capitalisations)."""
        value = str(self.construct_scalar(node))
        if not _BOOL.match(value):
            raise self._bad(node, "true or false")
        return value.lower() == "true"

    def construct_core_int(self, node: yaml.ScalarNode) -> int:
        """Decimal (leading zeros stay decimal), ``0o`` octal or ``0x`` hexadecimal."""
        value = str(self.construct_scalar(node))
        if not _INT.match(value):
            raise self._bad(node, "a whole number")
        try:
            if value.startswith("0o"):
                return int(value[2:], 8)
            if value.startswith("0x"):
                return int(value[2:], 16)
            return int(value, 10)
        except ValueError:  # more digits than Python converts to an int
            raise self._bad(node, "a whole number of at most 4,300 digits") from None

    def construct_core_float(self, node: yaml.ScalarNode) -> float:
        """A decimal or exponent number, ``.inf``, ``-.inf`` or ``.nan``."""
        value = str(self.construct_scalar(node))
        if not _FLOAT.match(value) and not _INT.match(value):
            raise self._bad(node, "a number")
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if value.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        if value.startswith(("0o", "0x")):
            return float(self.construct_core_int(node))
        return float(value)

    def construct_undefined(self, node: yaml.Node) -> Any:
        """Any tag outside the core schema."""
        raise ConstructorError(
            None,
            None,
            f"the tag {node.tag!r} is not allowed; expected plain YAML values "
            "(text, numbers, true/false, null, mappings and lists)",
            node.start_mark,
        )

    @staticmethod
    def _bad(node: yaml.ScalarNode, expected: str) -> ConstructorError:
        shown = repr(node.value)
        if len(shown) > 40:
            shown = f"{shown[:37]}... ({len(node.value):,} characters)"
        return ConstructorError(None, None, f"{shown} is not {expected}", node.start_mark)


CoreConstructor.yaml_constructors = {
    NULL: CoreConstructor.construct_core_null,
    BOOL: CoreConstructor.construct_core_bool,
    INT: CoreConstructor.construct_core_int,
    FLOAT: CoreConstructor.construct_core_float,
    STR: SafeConstructor.construct_yaml_str,
    SEQ: SafeConstructor.construct_yaml_seq,
    MAP: SafeConstructor.construct_yaml_map,
    None: CoreConstructor.construct_undefined,
}
CoreConstructor.yaml_multi_constructors = {}


class GuardedComposer(Composer):
    """Python's composer, refusing aliases, too many nodes and too deep nesting.

    It checks each node as the parser announces it, before anything of it is built.
    """

    node_count = 0
    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose one node after checking it against the dialect's limits."""
        event: Any = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, AliasEvent):
            raise RefusedError(
                f"an alias (*{event.anchor}) repeats a node written elsewhere; aliases and "
                "merge keys (<<: *name) are not supported, because a few repeats can loop "
                "or multiply a structure without bound. Write the value out in full",
                line,
            )
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise RefusedError(
                f"the file has more than {MAX_NODES:,} YAML nodes (values, keys, lists and "
                "mappings); larger files are refused (MAX_NODES, see docs/limits.md)",
                line,
            )
        collection = isinstance(event, CollectionStartEvent)
        if collection:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise RefusedError(
                    f"mappings and lists nest more than {MAX_DEPTH} levels deep here; deeper "
                    "files are refused (MAX_DEPTH, see docs/limits.md)",
                    line,
                )
        try:
            return super().compose_node(parent, index)
        finally:
            if collection:
                self.depth -= 1


class PyCoreLoader(Reader, Scanner, Parser, GuardedComposer, CoreConstructor, CoreResolver):
    """Reads one YAML document in the dialect of this module, in pure Python."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        GuardedComposer.__init__(self)
        CoreConstructor.__init__(self)
        CoreResolver.__init__(self)


LOADERS: tuple[type[Any], ...] = (PyCoreLoader,)
"""Every loader of the dialect available here, fastest first; they read alike."""

if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class CCoreLoader(GuardedComposer, CParser, CoreConstructor, CoreResolver):
        """The same dialect with libyaml's parser (about five times faster).

        libyaml only scans and parses; composing (with the guards), resolving
        and constructing are the Python code above, so both loaders read alike.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            GuardedComposer.__init__(self)
            CoreConstructor.__init__(self)
            CoreResolver.__init__(self)

    LOADERS = (CCoreLoader, PyCoreLoader)

CoreLoader: type[Any] = LOADERS[0]
"""The loader :mod:`detente.io.yaml_source` uses."""
