"""The one small interface every step method shares, and the name-keyed registries.

A method is a class with a ``name``, a pydantic ``Params`` model and one verb (``normalise``,
``impute``, ``treat``, ``weigh``, ``aggregate``). Parameters go to ``__init__`` and are validated
there (scikit-learn style); the verb is a pure numpy function of its inputs. A new method is one
class decorated with ``@REGISTRY.register``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import ConfigError, Problem


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Method:
    """Base class: ``Params`` validated in ``__init__``; subclasses add one verb."""

    name: ClassVar[str] = ""
    kind: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, **params: Any) -> None:
        try:
            self.params = self.Params(**params)
        except ValidationError as exc:
            raise ConfigError(problems=[
                Problem(f"{self.kind} method '{self.name}': {'.'.join(str(x) for x in e['loc'])}: {e['msg']}",
                        hint=f"parameters of '{self.name}': {', '.join(self.Params.model_fields) or 'none'}")
                for e in exc.errors()
            ]) from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params!r})"


M = TypeVar("M", bound=Method)


class Registry(Generic[M]):
    """Methods of one kind, by name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, type[M]] = {}

    def register(self, cls: type[M]) -> type[M]:
        if not cls.name:
            raise TypeError(f"{cls.__name__} has no name")
        cls.kind = self.kind
        self._items[cls.name] = cls
        return cls

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __getitem__(self, name: str) -> type[M]:
        try:
            return self._items[name]
        except KeyError:
            raise ConfigError(f"unknown {self.kind} method '{name}'",
                              hint=f"choose one of: {', '.join(sorted(self._items))}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))

    def names(self) -> list[str]:
        return sorted(self._items)

    def create(self, name: str, params: dict[str, Any] | None = None) -> M:
        return self[name](**(params or {}))
