"""Reading one events file safely: bytes -> text -> plain data, with line numbers on demand.

Two readers, one contract:
- `fast_read` uses the Rust `yaml-rs` parser (about 30x faster than PyYAML) and is what
  a clean file goes through;
- `precise_read` uses PyYAML's C composer and walks the node graph itself, so every
  mapping key and list item gets its line. It is used whenever the fast reader or the
  validator finds anything wrong, so that every message names its line.

Both refuse what a research dataset never needs and an attacker might send: files over
the size limit, byte-order marks, invalid UTF-8, control characters, anchors and aliases,
custom tags, duplicate keys, non-text keys and nesting deeper than the schema uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from pipeline.problems import Problem
from pipeline.schema import MAX_FILE_BYTES, MAX_NESTING_DEPTH

YamlPath = tuple[str | int, ...]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ufeff]")
# A tag or anchor after an indicator; a hit sends the file to the precise reader.
_TAG_OR_ANCHOR = re.compile(r"(?:^|[:\-\[{,?]\s+|[\[{,])[!&*][^\s,\]}]")
# Substring pre-check for the regex above: C-speed `in` tests rule out most files at once.
_TAG_OR_ANCHOR_HINTS = tuple(prefix + mark for mark in "!&*" for prefix in (" ", "\t", "\n", "[", "{", ","))
_LINE_IN_MESSAGE = re.compile(r"line (\d+)")
_NO_ALIASES = yaml_rs.AliasLimits(
    max_total_replayed_events=0, max_replay_stack_depth=1, max_alias_expansions_per_anchor=0
)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
}


@dataclass(slots=True)
class ReadResult:
    """Plain data of a file (None when unreadable), its problems, and a line map if built."""

    data: Any
    problems: list[Problem]
    lines: dict[YamlPath, int] = field(default_factory=dict)

    def line_of(self, path: YamlPath) -> int:
        """Line of the deepest known prefix of `path` (1 when nothing is known)."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return 1


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the reasons it cannot be read as clean UTF-8 text."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    display,
                    1,
                    "(file)",
                    f"file is {size / 1e6:.1f} MB",
                    f"at most {MAX_FILE_BYTES / 1e6:.0f} MB per file; split it into several files",
                )
            ]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(display, 1, "(file)", f"cannot be read: {error.strerror}", "a readable file")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(display, 1, "(file)", "file starts with a byte-order mark", "UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(display, line, "(file)", f"byte 0x{raw[error.start]:02x} is not valid UTF-8", "UTF-8 text")
        ]
    problems = []
    for match in _CONTROL.finditer(text):
        problems.append(
            Problem(
                display,
                _line_at(text, match.start()),
                "(file)",
                f"control character U+{ord(match.group()):04X}",
                "printable text, tabs and newlines only",
            )
        )
        if len(problems) >= 20:
            break
    return (None, problems) if problems else (text, [])


def fast_read(text: str) -> tuple[Any, str | None]:
    """Plain data from `yaml-rs`, or None and its error message."""
    try:
        return yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES), None
    except yaml_rs.YAMLDecodeError as error:
        return None, str(error)
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        return None, str(error)


class _Refusal(Exception):
    def __init__(self, line: int, message: str, expected: str) -> None:
        super().__init__(message)
        self.line, self.message, self.expected = line, message, expected


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """YAML 1.2 core-schema-like scalars: null stays None, everything else stays text."""
    if node.tag not in _STANDARD_TAGS:
        raise _Refusal(node.start_mark.line + 1, f"custom tag {node.tag!r}", "plain YAML without tags")
    if node.tag == "tag:yaml.org,2002:null" and node.style is None:
        return None
    return node.value


def _walk(root: yaml.Node) -> tuple[Any, dict[YamlPath, int]]:
    """Plain data and a line map from a composed node graph, refusing aliases and deep nesting."""
    lines: dict[YamlPath, int] = {}
    seen: set[int] = set()

    def convert(node: yaml.Node, path: YamlPath) -> Any:
        if id(node) in seen:
            raise _Refusal(
                node.start_mark.line + 1, "anchors and aliases are not allowed", "each value written out in full"
            )
        seen.add(id(node))
        if len(path) > MAX_NESTING_DEPTH:
            raise _Refusal(
                node.start_mark.line + 1,
                f"nested deeper than {MAX_NESTING_DEPTH} levels",
                "the flat structure described in events/README.md",
            )
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return _scalar_value(node)
        if node.tag not in _STANDARD_TAGS:
            raise _Refusal(node.start_mark.line + 1, f"custom tag {node.tag!r}", "plain YAML without tags")
        if isinstance(node, yaml.SequenceNode):
            return [convert(item, (*path, index)) for index, item in enumerate(node.value)]
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise _Refusal(key_node.start_mark.line + 1, "a key that is not text", "text keys")
            key = key_node.value
            if key in mapping:
                raise _Refusal(key_node.start_mark.line + 1, f"duplicate key {key!r}", "each key once")
            mapping[key] = convert(value_node, (*path, key))
            lines[(*path, key)] = key_node.start_mark.line + 1
        return mapping

    return convert(root, ()), lines


def precise_read(text: str, display: str) -> ReadResult:
    """Plain data with a line for every key and item, or a located problem."""
    loader = yaml.CSafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return ReadResult(None, [])
        data, lines = _walk(root)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return ReadResult(
            None, [Problem(display, line, "(yaml)", f"{error.problem or error.context}", "well-formed YAML")]
        )
    except yaml.YAMLError as error:
        return ReadResult(None, [Problem(display, 1, "(yaml)", str(error), "well-formed YAML")])
    except _Refusal as refusal:
        return ReadResult(None, [Problem(display, refusal.line, "(yaml)", refusal.message, refusal.expected)])
    except RecursionError:
        return ReadResult(None, [Problem(display, 1, "(yaml)", "nested too deeply", "a flat structure")])
    finally:
        loader.dispose()
    return ReadResult(data, [], lines)


def _may_hold_tag_or_anchor(text: str) -> bool:
    if not text.startswith(("!", "&", "*")) and not any(hint in text for hint in _TAG_OR_ANCHOR_HINTS):
        return False
    return _TAG_OR_ANCHOR.search(text) is not None


def read_file(path: Path, display: str, *, need_lines: bool = False) -> ReadResult:
    """Read one events file; `need_lines` asks for the line map even when it is clean.

    The fast parser always goes first: it bounds nesting depth, and PyYAML's C composer
    (used by the precise reader) recurses without limit and would crash on deep nesting.
    """
    text, problems = read_text(path, display)
    if text is None:
        return ReadResult(None, problems)
    data, error = fast_read(text)
    if error is not None:
        located = _LINE_IN_MESSAGE.search(error)
        if located and "alias" not in error and "duplicate" not in error:
            reason = error.strip().splitlines()[-1].strip()
            return ReadResult(None, [Problem(display, int(located.group(1)), "(yaml)", reason, "well-formed YAML")])
        return precise_read(text, display)
    if need_lines or _may_hold_tag_or_anchor(text):
        return precise_read(text, display)
    return ReadResult(data, [])
