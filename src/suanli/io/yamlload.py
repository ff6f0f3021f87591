"""YAML read with bounds, for every YAML file suanli reads (edition.yaml, frameworks, method and
uncertainty files).

``yaml.safe_load`` constructs no objects, but an alias bomb (``a: &a [x, x, …]``, ``b: &b [*a,
*a, …]`` …) composes into a small graph whose *expanded* size is exponential: it passes a loose
schema (an untyped field), and expands later when the value is copied, validated or serialised.
:func:`load_yaml` composes the document, measures its expanded size and its alias references
without expanding anything, and refuses it above the limits before constructing a value:

* ``SUANLI_MAX_YAML_NODES`` (default 1,000,000): scalars, sequences and mappings counted with
  every alias expanded (the bundled 2025 edition has about 2,300);
* ``SUANLI_MAX_YAML_ALIASES`` (default 10,000): alias references (``*name``);
* recursive aliases (a node containing itself) and nesting deeper than the parser can follow are
  refused too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

DEFAULT_MAX_NODES = 1_000_000
DEFAULT_MAX_ALIASES = 10_000


def _limit(var: str, default: int) -> int:
    try:
        return max(1, int(float(os.environ.get(var, default))))
    except ValueError:
        return default


def _measure(root: yaml.Node, max_nodes: int, max_aliases: int, file: str | None) -> None:
    """Expanded node count (memoised per node, so a bomb is measured in linear time) and alias
    references; raises ConfigError above a limit or on a cycle."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    aliases = 0
    # iterative post-order walk over the node graph
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            n = 1
            for child in _children(node):
                n += size[id(child)]
            size[key] = n
            if n > max_nodes:
                mark = node.start_mark
                raise ConfigError(
                    f"expands to more than {max_nodes:,} YAML nodes (aliases repeated inside aliases?)",
                    file=file, row=mark.line + 1 if mark else None,
                    hint="this looks like a 'billion laughs' alias bomb; remove the repeated aliases "
                         "(or raise SUANLI_MAX_YAML_NODES for a genuinely huge file)")
            continue
        if key in size:
            aliases += 1
            if aliases > max_aliases:
                raise ConfigError(f"uses more than {max_aliases:,} YAML alias references", file=file,
                                  row=node.start_mark.line + 1 if node.start_mark else None,
                                  hint="write the values out, or raise SUANLI_MAX_YAML_ALIASES")
            continue
        if key in on_path:
            raise ConfigError("contains a recursive YAML alias (a node that contains itself)", file=file,
                              row=node.start_mark.line + 1 if node.start_mark else None,
                              hint="remove the alias that refers to its own parent")
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise ConfigError("contains a recursive YAML alias (a node that contains itself)", file=file,
                                  row=child.start_mark.line + 1 if child.start_mark else None,
                                  hint="remove the alias that refers to its own parent")
            stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [x for kv in node.value for x in kv]
    return []


def load_yaml(text: str, *, file: str | Path | None = None) -> Any:
    """``yaml.safe_load`` with the limits above; YAML syntax errors become ConfigError with the line."""
    f = str(file) if file is not None else None
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ConfigError(f"is not valid YAML ({getattr(exc, 'problem', None) or exc})", file=f,
                              row=(mark.line + 1) if mark else None) from None
        except RecursionError:
            raise ConfigError("nests YAML values too deeply to read", file=f,
                              hint="a configuration file needs no more than a few levels of nesting") from None
        if node is None:
            return None
        _measure(node, _limit("SUANLI_MAX_YAML_NODES", DEFAULT_MAX_NODES),
                 _limit("SUANLI_MAX_YAML_ALIASES", DEFAULT_MAX_ALIASES), f)
        try:
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ConfigError(f"is not valid YAML ({getattr(exc, 'problem', None) or exc})", file=f,
                              row=(mark.line + 1) if mark else None) from None
        except RecursionError:
            raise ConfigError("nests YAML values too deeply to read", file=f) from None
    finally:
        loader.dispose()


def load_yaml_file(path: str | Path) -> Any:
    """Read a YAML file (any encoding :func:`~suanli.io.textfiles.read_text_file` knows) with the limits."""
    from .textfiles import read_text_file

    return load_yaml(read_text_file(path), file=path)
