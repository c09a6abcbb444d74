"""The authorisation matrix: every route x every role → the expected status.

Each feature adds a module here with `CASES` (a list of RouteCase) and, when its URLs need
objects, a `build(world)` function that creates them (inside an app context) and stores what
the URLs need in the `world` dict. Modules are discovered automatically.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

ROLES = ("anonymous", "trainee", "practitioner", "moderator", "admin")
World = dict[str, Any]


@dataclass
class RouteCase:
    endpoint: str
    url: str | Callable[[World], str]
    expect: dict[str, int]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)

    def resolve(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int = 200, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], status)}


def at_least(role: str, status: int = 200, below: int = 403) -> dict[str, int]:
    """`status` for `role` and above, `below` for signed-in users under it, 302 for visitors."""
    rank = ROLES.index(role)
    expect = {"anonymous": 302}
    for index, name in enumerate(ROLES[1:], start=1):
        expect[name] = status if index >= rank else below
    return expect


def modules() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        found.append(importlib.import_module(f"{__name__}.{info.name}"))
    return found


def all_cases() -> list[RouteCase]:
    return [case for module in modules() for case in getattr(module, "CASES", [])]


def builders() -> list[Callable[[World], None]]:
    return [module.build for module in modules() if hasattr(module, "build")]
