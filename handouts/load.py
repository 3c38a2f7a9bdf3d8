"""Stage 1, read: a YAML file -> plain values that remember their file:line:column.

Mappings become `Map` (a dict), sequences `Seq` (a list); both know where each of their
items and keys stands, so later stages can point at the exact place of a problem.

Every scalar stays the text the editor wrote. YAML 1.1's implicit types turn a phone
number with a leading zero into octal, `8:30` into 510 and `1.10` into 1.1, so no type is
guessed here: fields that are numbers, dates or true/false are parsed by fields.Reader,
which knows what each field should hold and explains a bad value.

The file is read through libyaml's event parser and built here without recursion, so the
limits below bound time and memory whatever the input: a file size cap, a nesting cap, and
no aliases (an alias bomb of under 1 KB otherwise expands to gigabytes).
"""
from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import yaml

from .errors import ContentError, Problems

Mark = tuple[int, int]  # 1-based line, column

MAX_FILE_BYTES = 2 * 1024 * 1024  # a long leaflet is about 30 KB
MAX_DEPTH = 24  # a leaflet nests about 8 levels deep
MAX_NODES = 200_000  # values in one file
STR_TAG = "tag:yaml.org,2002:str"


class Map(dict):
    """A YAML mapping with the position of each key and value."""

    def __init__(self, path: Path, mark: Mark, root: Path | None = None):
        super().__init__()
        self.path, self.mark = path, mark
        self.root = root or path.parent  # files it names must stay inside this folder
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}

    def mark_of(self, key: str) -> Mark:
        return self.value_marks.get(key, self.mark)

    def key_mark(self, key: str) -> Mark:
        return self.key_marks.get(key, self.mark)


class Seq(list):
    """A YAML sequence with the position of each item."""

    def __init__(self, path: Path, mark: Mark):
        super().__init__()
        self.path, self.mark = path, mark
        self.item_marks: list[Mark] = []

    def mark_of(self, index: int) -> Mark:
        return self.item_marks[index] if index < len(self.item_marks) else self.mark


class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser with no implicit resolvers: every untagged scalar is text."""

    yaml_implicit_resolvers: dict = {}


class _Stop(Exception):
    """A problem that ends reading the file (already added to the problems)."""


def _mark(mark) -> Mark:
    return mark.line + 1, mark.column + 1


def unsafe_character(text: str) -> str | None:
    """The first character that must never reach a leaflet or a message, or None.

    Control characters (other than tab and newline), lone surrogates and unassigned or
    private code points cannot be printed faithfully and can fake terminal output.
    """
    for char in text:
        if char in "\t\n":
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Cn", "Co"):
            return char
    return None


class _Builder:
    """Builds Map/Seq/str values from parser events, with an explicit stack."""

    def __init__(self, path: Path, problems: Problems, root: Path):
        self.path, self.problems, self.file_root = path, problems, root
        self.stack: list[list] = []  # [container, pending key, key mark]
        self.root = None
        self.nodes = 0
        self.documents = 0

    def stop(self, mark: Mark, message: str, hint: str) -> None:
        self.problems.add(self.path, mark, message, hint)
        raise _Stop

    def feed(self, event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.stop(_mark(event.start_mark), "a second YAML document ('---') in one file",
                          "keep one document per file; remove the '---' line")
        elif isinstance(event, yaml.AliasEvent):
            self.stop(_mark(event.start_mark), f"alias '*{event.anchor}' is not allowed",
                      "write the value out in full; aliases and anchors (&, *) are not "
                      "used in leaflets")
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            container = self.stack.pop()[0]
            self._place(container, container.mark)
        elif isinstance(event, yaml.ScalarEvent):
            self._place(self._scalar(event), _mark(event.start_mark))

    def _count(self, mark: Mark) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.stop(mark, f"the file holds more than {MAX_NODES:,} values",
                      "split it into several leaflet files")

    def _check_tag(self, event, default: str) -> None:
        if event.tag not in (None, "!", default):
            self.stop(_mark(event.start_mark), f"YAML tag '{event.tag}' is not allowed",
                      "remove the tag: leaflets hold plain text, lists and mappings")

    def _open(self, event) -> None:
        mark = _mark(event.start_mark)
        self._count(mark)
        is_map = isinstance(event, yaml.MappingStartEvent)
        self._check_tag(event, "tag:yaml.org,2002:" + ("map" if is_map else "seq"))
        if len(self.stack) >= MAX_DEPTH:
            self.stop(mark, f"lists and mappings are nested more than {MAX_DEPTH} deep",
                      "check the indentation; a leaflet needs far fewer levels")
        if self.stack and isinstance(self.stack[-1][0], Map) and self.stack[-1][1] is None:
            self.stop(mark, "a list or mapping cannot be used as a key",
                      "keys are single words followed by ':'")
        container = Map(self.path, mark, self.file_root) if is_map else Seq(self.path, mark)
        self.stack.append([container, None, None])

    def _scalar(self, event) -> str | None:
        mark = _mark(event.start_mark)
        self._count(mark)
        self._check_tag(event, STR_TAG)
        value = event.value
        bad = unsafe_character(value)
        if bad is not None:
            self.stop(mark, f"the text holds the invisible character U+{ord(bad):04X}",
                      "delete it (retype the text around it) or write the character you meant")
        # An empty plain value (`key:`) is no value; quoted '' is empty text.
        if value == "" and event.style is None and event.tag is None:
            return None
        return value

    def _place(self, value, mark: Mark) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        container = top[0]
        if isinstance(container, Seq):
            container.append(value)
            container.item_marks.append(mark)
        elif top[1] is None:  # a key
            key = "" if value is None else value
            if key in container:
                self.problems.add(self.path, mark, f"key '{key}' appears twice in this mapping",
                                  "keep one of them")
            top[1], top[2] = key, mark
        else:
            key = top[1]
            container[key] = value
            container.key_marks[key] = top[2]
            container.value_marks[key] = mark
            top[1] = None


_SYNTAX = [  # (words in libyaml's message, plain message, hint, report at the context mark)
    ("could not find expected ':'", "this line has no ':' after its key",
     "write 'key: value'; if the line continues the text above it, indent it under that text",
     True),
    ("did not find expected ',' or ']'", "a list opened with '[' here is not closed",
     "close it with ']'; quote items that contain ',', ']' or ': '", True),
    ("did not find expected ',' or '}'", "a mapping opened with '{' here is not closed",
     "close it with '}'; quote values that contain ',', '}' or ': '", True),
    ("did not find expected '-' indicator", "this line does not continue the list above it",
     "start the line with '- ' at the same indent as the other items", False),
    ("did not find expected key", "this line is indented differently from the lines above it",
     "line it up with the keys of the same mapping (use spaces, not tabs)", False),
    ("mapping values are not allowed", "this text contains ': ' but is not in quotes",
     "put the whole text in double quotes", False),
    ("found unexpected end of stream", "a quote opened here is never closed",
     "add the closing quote", True),
    ("cannot start any token", "a value cannot start with this character",
     "text that starts with *, &, @, ` or % must be in quotes, e.g. "
     "- paragraph: \"**Bold** start\"", False),
    ("tab", "a tab character is used for indentation", "indent with spaces only", False),
    ("exceeded maximum nesting depth", f"lists and mappings are nested more than {MAX_DEPTH} "
     "deep", "check the indentation; a leaflet needs far fewer levels", False),
    ("invalid Unicode character escape", "this \\u escape is not a character",
     "write the character itself, or a valid \\u escape", False),
    ("found undefined tag handle", "an unknown YAML tag ('!...') is used",
     "remove the tag, or quote text that starts with '!'", False),
]


def _syntax_problem(exc: yaml.MarkedYAMLError) -> tuple[Mark | None, str, str]:
    problem = exc.problem or exc.context or "invalid YAML"
    for words, message, hint, at_context in _SYNTAX:
        if words in problem:
            mark = (exc.context_mark if at_context else None) or exc.problem_mark
            return (_mark(mark) if mark else None), message, hint
    mark = exc.problem_mark or exc.context_mark
    return (_mark(mark) if mark else None), f"the YAML is not valid here ({problem})", \
        "check indentation, colons and quotes; quote text that contains ': ' or ' #'"


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> tuple[Mark, str]:
    before = text[:exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    char = exc.character
    code = ord(char) if isinstance(char, str) else int(char)
    return (line, column), f"the file holds the character U+{code:04X}, which YAML does not allow"


def read_text_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises OSError for a missing file or a folder (IsADirectoryError), and ValueError (with
    a message for editors) for a device, a pipe or a file that is too big, all checked
    before reading.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("is not a regular file (a device, pipe or socket)")
        if info.st_size > limit:
            raise ValueError(f"is {info.st_size / 1024 / 1024:.1f} MB; the limit is "
                             f"{limit // 1024 // 1024} MB")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"is over the limit of {limit // 1024 // 1024} MB")
    return data


def _folder_glob(folder: Path, root: Path | None) -> str:
    """A glob for the YAML files in folder, relative to root (content.yaml's folder)."""
    if root is not None and inside(folder, root):
        folder = Path(folder).resolve().relative_to(Path(root).resolve())
    return (Path(folder) / "*.yaml").as_posix()


def inside(path: Path, root: Path) -> Path | None:
    """path with symlinks resolved, if it stays inside root; else None."""
    resolved = Path(path).resolve()
    return resolved if resolved.is_relative_to(Path(root).resolve()) else None


def read_yaml(path: Path, root: Path | None = None):
    """Read one YAML file (text values only, no aliases) into located values.

    `root` is the folder that files named in it (figures) must stay inside; by default
    the file's own folder.

    Raises ContentError with the file, line and column of the first problem.
    """
    path = Path(path)
    problems = Problems()

    def fail(mark, message: str, hint: str):
        problems.add(path, mark, message, hint)
        return ContentError(problems.items)

    try:
        data = read_text_file(path)
    except FileNotFoundError:
        raise fail(None, "file not found", "check the path and its spelling") from None
    except IsADirectoryError:  # os.fdopen refuses a folder before it can be looked at
        raise fail(None, "this is a folder, not a file",
                   "name a YAML file, or the files in this folder with a glob such as "
                   f"'{_folder_glob(path, root)}'") from None
    except ValueError as exc:
        raise fail(None, f"this file {exc}", "name a YAML file of leaflet content") from None
    except OSError as exc:
        raise fail(None, f"cannot be read ({exc.strerror})",
                   "check the file's permissions") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(None, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                   "save the file as UTF-8") from None
    builder = _Builder(path, problems, Path(root) if root else path.parent)
    try:
        for event in yaml.parse(text.removeprefix("\ufeff"), Loader=_TextLoader):
            builder.feed(event)
    except _Stop:
        raise ContentError(problems.items) from None
    except yaml.reader.ReaderError as exc:
        mark, message = _reader_problem(exc, text)
        raise fail(mark, message, "delete it; it is invisible in most editors") from None
    except yaml.MarkedYAMLError as exc:
        raise fail(*_syntax_problem(exc)) from None
    if builder.root is None:
        raise fail(None, "the file is empty", "add the leaflet's fields")
    problems.raise_if_errors()
    return builder.root
