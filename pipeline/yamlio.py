"""Reading one events file safely: bytes -> text -> plain data, with line numbers on demand.

One reading path, one meaning of a document, two speeds:

- `precise_read` is the reference. It walks PyYAML's (libyaml's) event stream itself, so
  it sees what was *written*: every scalar is the text written (`0x1F`, `1e3`, `.inf`,
  `true`, `1997-10-30` stay those characters), a plain `~` / `null` / empty value is None,
  and any tag, anchor, alias, second document, duplicate or non-text key, forbidden
  character (also one made by an escape such as `"\\e"`), too deep nesting or too long list
  is refused with its line. Every key and item gets its line.
- `fast_read` uses the Rust `yaml-rs` parser (several times faster) and accepts a document
  only when that cannot differ from the reference: no `!`, `&`, `*` or backslash anywhere,
  no directives or document markers, and a result made of text, None, lists and text-keyed
  mappings within the limits. Anything else goes to the precise reader, which then decides.
  A Hypothesis property (tests/test_yaml_reading.py) checks that whatever the fast reader
  accepts, the precise reader reads to the same value.

Line numbers come from one place, `LineIndex`, over the text as written ('\\n' ends a line).
"""

from __future__ import annotations

import bisect
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from pipeline.problems import Problem
from pipeline.schema import MAX_FILE_BYTES, MAX_LIST_ITEMS, MAX_NESTING_DEPTH, MAX_NODES_PER_FILE
from pipeline.text import FORBIDDEN, describe_char, for_message, has_forbidden, quoted

YamlPath = tuple[str | int, ...]

# Plain scalars that mean "no value" (YAML 1.2 core schema); any other scalar is text.
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_NO_ALIASES = yaml_rs.AliasLimits(
    max_total_replayed_events=0, max_replay_stack_depth=1, max_alias_expansions_per_anchor=0
)
# Tags, anchors, aliases, escapes, and tabs (libyaml refuses tabs in places yaml-rs accepts).
_FAST_PATH_EXCLUDED = ("!", "&", "*", "\\", "\t")
_MARKERS = ("---", "...", "%")  # document markers and directives, at the start of a line


class LineIndex:
    """Character offset -> 1-based line, for the text as written."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        position = text.find("\n")
        while position != -1:
            self._starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, max(offset, 0))


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


def _file_problem(display: str, line: int, message: str, expected: str) -> Problem:
    return Problem(display, line, "(file)", message, expected)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the reasons it cannot be read as clean UTF-8 text.

    Opened without blocking and checked on the open descriptor, so a FIFO or device put in
    place of the file is refused instead of hanging the reader."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        return None, [_file_problem(display, 1, f"cannot be read: {error.strerror}", "a readable file")]
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return None, [_file_problem(display, 1, "not a regular file", "a plain YAML file")]
        if info.st_size > MAX_FILE_BYTES:
            return None, [
                _file_problem(
                    display,
                    1,
                    f"file is {info.st_size / 1e6:.1f} MB",
                    f"at most {MAX_FILE_BYTES / 1e6:.0f} MB per file; split it into several files",
                )
            ]
        try:
            raw = stream.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            return None, [_file_problem(display, 1, f"cannot be read: {error.strerror}", "a readable file")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [_file_problem(display, 1, "file grew past the size limit while read", "a stable file")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [_file_problem(display, 1, "file starts with a byte-order mark", "UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [_file_problem(display, line, f"byte 0x{raw[error.start]:02x} is not valid UTF-8", "UTF-8 text")]
    problems = []
    lines: LineIndex | None = None
    for match in FORBIDDEN.finditer(text) if has_forbidden(text) else ():
        lines = lines or LineIndex(text)
        problems.append(
            _file_problem(
                display,
                lines.line(match.start()),
                describe_char(match.group()),
                "printable text, tabs and newlines only (no control or invisible format characters)",
            )
        )
        if len(problems) >= 20:
            break
    return (None, problems) if problems else (text, [])


# ---------------------------------------------------------------- the fast reader


def _plain_tree(data: Any) -> bool:
    """True when `data` is made only of text, None, lists and text-keyed mappings within the limits."""
    if data is None or type(data) is str:
        return True
    stack: list[tuple[Any, int]] = [(data, 0)]
    nodes = 1
    while stack:
        container, depth = stack.pop()
        if depth >= MAX_NESTING_DEPTH:
            return False
        if type(container) is dict:
            if not all(type(key) is str and key for key in container):
                return False
            items: Any = container.values()
            nodes += 2 * len(container)  # keys and values
        elif type(container) is list:
            if len(container) > MAX_LIST_ITEMS:
                return False
            items = container
            nodes += len(container)
        else:
            return False  # a number, boolean or date: the precise reader keeps the text written
        if nodes > MAX_NODES_PER_FILE:
            return False
        for item in items:
            kind = type(item)
            if kind is str or item is None:
                continue
            if kind is dict or kind is list:
                stack.append((item, depth + 1))
            else:
                return False
    return True


def _fast_path_allowed(text: str) -> bool:
    if any(mark in text for mark in _FAST_PATH_EXCLUDED) or has_forbidden(text):
        return False
    return not (text.startswith(_MARKERS) or any("\n" + mark in text for mark in _MARKERS))


def fast_read(text: str) -> tuple[bool, Any]:
    """(True, data) when `yaml-rs` reads the text to what the precise reader would; else (False, None)."""
    if not _fast_path_allowed(text):
        return False, None
    try:
        data = yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES)
    except Exception:  # yaml-rs raises its own errors and ValueError/RecursionError; the precise reader explains
        return False, None
    return (True, data) if _plain_tree(data) else (False, None)


# ---------------------------------------------------------------- the precise reader


class _Refusal(Exception):
    def __init__(self, offset: int, message: str, expected: str) -> None:
        super().__init__(message)
        self.offset, self.message, self.expected = offset, message, expected


_NO_TAGS = "plain YAML without tags"


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: YamlPath
    key: str | None = None  # a mapping's key waiting for its value
    awaiting_key: bool = True


def _offset(event: yaml.Event) -> int:
    return event.start_mark.index if event.start_mark is not None else 0


def _scalar(event: yaml.ScalarEvent) -> str | None:
    plain = event.style in (None, "")
    if plain and event.value in NULLS:
        return None
    bad = FORBIDDEN.search(event.value)
    if bad:
        raise _Refusal(
            _offset(event),
            f"{describe_char(bad.group())} in text (written as an escape)",
            "printable text (no control or invisible format characters)",
        )
    return str(event.value)


def _events_to_data(loader: yaml.CSafeLoader, lines: dict[YamlPath, int], index: LineIndex) -> Any:
    """Build plain data from the event stream, refusing what the format never needs."""
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    nodes = 0
    while loader.check_event():
        event = loader.get_event()
        assert event is not None
        offset = _offset(event)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refusal(offset, "a second YAML document", "one document per file (no '---' between parts)")
            continue
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _Refusal(offset, "anchors and aliases are not allowed", "each value written out in full")
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done = stack.pop()
            if stack:
                _place(stack[-1], done.container, offset)
            else:
                root = done.container
            continue
        assert isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if event.anchor is not None:
            raise _Refusal(offset, "anchors and aliases are not allowed", "each value written out in full")
        if event.tag is not None:
            raise _Refusal(offset, f"tag {quoted(event.tag)}", _NO_TAGS)
        nodes += 1
        if nodes > MAX_NODES_PER_FILE:
            raise _Refusal(offset, f"more than {MAX_NODES_PER_FILE:,} values in one file", "a smaller file; split it")
        parent = stack[-1] if stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.awaiting_key:
            _take_key(parent, event, lines, index)
            continue
        path = _child_path(parent)
        if len(path) > MAX_NESTING_DEPTH:
            raise _Refusal(
                offset,
                f"nested deeper than {MAX_NESTING_DEPTH} levels",
                "the flat structure described in events/README.md",
            )
        lines.setdefault(path, index.line(offset))
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(event)
            if parent is None:
                root = value
            else:
                _place(parent, value, offset)
        else:
            container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            stack.append(_Frame(container, path))
    return root


def _child_path(parent: _Frame | None) -> YamlPath:
    if parent is None:
        return ()
    if isinstance(parent.container, list):
        return (*parent.path, len(parent.container))
    assert parent.key is not None
    return (*parent.path, parent.key)


def _take_key(frame: _Frame, event: yaml.Event, lines: dict[YamlPath, int], index: LineIndex) -> None:
    offset = _offset(event)
    if not isinstance(event, yaml.ScalarEvent) or (event.style in (None, "") and event.value in NULLS):
        raise _Refusal(offset, "a key that is not text", "text keys")
    key = _scalar(event)
    assert key is not None and isinstance(frame.container, dict)
    if key in frame.container:
        raise _Refusal(offset, f"duplicate key {quoted(key)}", "each key once")
    frame.key, frame.awaiting_key = key, False
    lines[(*frame.path, key)] = index.line(offset)


def _place(frame: _Frame, value: Any, offset: int) -> None:
    if isinstance(frame.container, list):
        if len(frame.container) >= MAX_LIST_ITEMS:
            raise _Refusal(offset, f"a list of more than {MAX_LIST_ITEMS:,} items", "a shorter list; split the file")
        frame.container.append(value)
    else:
        assert frame.key is not None
        frame.container[frame.key] = value
        frame.key, frame.awaiting_key = None, True


def precise_read(text: str, display: str) -> ReadResult:
    """Plain data with a line for every key and item, or a located problem."""
    index = LineIndex(text)
    lines: dict[YamlPath, int] = {}
    loader = yaml.CSafeLoader(text)
    try:
        data = _events_to_data(loader, lines, index)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and mark is not None and not text[mark.index :].strip():
            mark = error.context_mark  # ran off the end: where the unclosed bracket or quote starts
        line = index.line(mark.index) if mark else 1
        reason = for_message(error.problem or error.context or "not well-formed")
        if error.context and error.problem:
            reason += f" ({for_message(error.context)})"
        return ReadResult(None, [Problem(display, line, "(yaml)", reason, "well-formed YAML")])
    except yaml.YAMLError as error:
        return ReadResult(None, [Problem(display, 1, "(yaml)", for_message(error), "well-formed YAML")])
    except _Refusal as refusal:
        return ReadResult(
            None, [Problem(display, index.line(refusal.offset), "(yaml)", refusal.message, refusal.expected)]
        )
    finally:
        loader.dispose()
    return ReadResult(data, [], lines)


def read_file(path: Path, display: str, *, need_lines: bool = False) -> ReadResult:
    """Read one events file; `need_lines` asks for the line map even when it is clean."""
    text, problems = read_text(path, display)
    if text is None:
        return ReadResult(None, problems)
    return read_string(text, display, need_lines=need_lines)


def read_string(text: str, display: str, *, need_lines: bool = False) -> ReadResult:
    """`read_file` for text already in memory (checked for forbidden characters by the caller)."""
    if not need_lines:
        accepted, data = fast_read(text)
        if accepted:
            return ReadResult(data, [])
    return precise_read(text, display)
