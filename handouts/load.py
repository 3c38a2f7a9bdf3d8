"""Stage 1, read: a YAML file -> plain values that remember their file:line:column.

Mappings become `Map` (a dict), sequences `Seq` (a list); both know where each of their
items and keys stands, so later stages can point at the exact place of a problem.
Scalars stay plain Python values, except dates and times, which are kept as the text
the editor wrote: model.py parses them and explains a bad one.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ContentError, Problems

Mark = tuple[int, int]  # 1-based line, column


class Map(dict):
    """A YAML mapping with the position of each key and value."""

    def __init__(self, path: Path, mark: Mark):
        super().__init__()
        self.path, self.mark = path, mark
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


def _mark(node: yaml.Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


_constructor = yaml.SafeLoader("")


def _scalar(node: yaml.ScalarNode):
    # Dates stay text so that model.py can say *why* a date is wrong.
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    return _constructor.construct_object(node)


def _convert(node: yaml.Node, path: Path, problems: Problems):
    if isinstance(node, yaml.MappingNode):
        result = Map(path, _mark(node))
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                problems.add(path, _mark(key_node), f"key '{key}' appears twice in this mapping",
                             "keep one of them")
            result[key] = _convert(value_node, path, problems)
            result.key_marks[key] = _mark(key_node)
            result.value_marks[key] = _mark(value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        result = Seq(path, _mark(node))
        for item in node.value:
            result.append(_convert(item, path, problems))
            result.item_marks.append(_mark(item))
        return result
    return _scalar(node)


def _syntax_hint(problem: str) -> str:
    if "'*'" in problem or "'&'" in problem or "'@'" in problem or "'`'" in problem:
        return ("text that starts with *, &, @ or ` must be in quotes, e.g. "
                "- paragraph: \"**Bold** start\"")
    if "mapping values are not allowed" in problem:
        return "text that contains ': ' must be in quotes"
    return "check indentation, colons and quotes; quote text that contains ': ' or ' #'"


# libyaml (C) composes about 20x faster; it gives the same nodes and marks. Its error
# messages are worded differently, so a file that fails is parsed again in Python.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str):
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def read_yaml(path: Path):
    """Read one YAML file (safe loading only) into located values.

    Raises ContentError with the file, line and column of a syntax error.
    """
    path = Path(path)
    problems = Problems()
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        node = _compose(text)
    except FileNotFoundError:
        problems.add(path, None, "file not found", "check the path and its spelling")
        raise ContentError(problems.items) from None
    except UnicodeDecodeError as exc:
        problems.add(path, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
        raise ContentError(problems.items) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        problems.add(path, where, f"YAML syntax error: {what}", _syntax_hint(what))
        raise ContentError(problems.items) from None
    if node is None:
        problems.add(path, None, "the file is empty", "add the leaflet's fields")
        raise ContentError(problems.items)
    value = _convert(node, path, problems)
    problems.raise_if_errors()
    return value
