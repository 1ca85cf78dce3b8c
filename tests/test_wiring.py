"""The house rules that keep the code readable: explicit wiring, arrows pointing down."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.app import build_application
from config.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage", "messages", "config")


def _module_imports() -> dict[str, set[str]]:
    """Module-level imports (function-level ones are deliberate lazy imports) per module."""
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found: set[str] = set()
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
                    found.update(f"{node.module}.{alias.name}" for alias in node.names)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
            graph[name] = found
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return stack[stack.index(dep) :] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    assert _cycle(_module_imports()) is None


def test_layers_point_down() -> None:
    graph = _module_imports()
    for module, deps in graph.items():
        if module.startswith(("bot.", "storage.", "messages.", "config.")) and module != "bot.app":
            assert not any(d.startswith("handlers") for d in deps), module
        if module.startswith("config"):
            assert not any(d.startswith("bot") for d in deps), module
        if module.startswith("messages"):
            storage_deps = {d for d in deps if d.startswith("storage")}
            sql_free = ("storage.models", "storage.deadline_model")
            assert all(d.startswith(sql_free) for d in storage_deps), (module, deps)
        if module.startswith("storage"):
            assert not any(d.startswith(("bot", "messages")) for d in deps), module


def test_app_factory_lists_every_feature(tmp_path: Path) -> None:
    settings = Settings(token="1:x", admin_ids=frozenset(), database=tmp_path / "x.sqlite3")
    first = build_application(settings, tick_job=False)
    second = build_application(settings, tick_job=False)
    names = [c.name for c in first.bot_data.commands]
    assert len(names) == len(set(names)), "a command is listed twice"
    assert {"bantuan", "jawab", "rekap", "faq", "libur", "beriperan"} <= set(names)
    # Building twice must not register anything twice (nothing is kept in module globals).
    assert [c.name for c in second.bot_data.commands] == names


def test_handlers_hold_no_sql_and_no_role_rules() -> None:
    """Handlers parse, call bot/, render: storage and role rules live below them."""
    graph = _module_imports()
    for module, deps in graph.items():
        if not module.startswith("handlers."):
            continue
        assert not {d for d in deps if d.startswith("storage")}, module
        path = ROOT / (module.replace(".", "/") + ".py")
        if not path.exists():  # a package: its __init__
            path = ROOT / module.replace(".", "/") / "__init__.py"
        source = path.read_text(encoding="utf-8")
        assert '"admin" in' not in source and "has_role(" not in source, module


def test_every_command_is_registered_behind_its_declaration(tmp_path: Path) -> None:
    """Each catalog command's handler runs the one check of roles and places (the help's
    rule), and no command is handled that the catalog (the help) does not list."""
    from telegram.ext import CommandHandler

    settings = Settings(token="1:x", admin_ids=frozenset(), database=tmp_path / "x.sqlite3")
    app = build_application(settings, tick_job=False)
    catalog = {c.name: c for c in app.bot_data.commands}
    guarded: dict[str, object] = {}
    for handlers in app.handlers.values():
        for handler in handlers:
            if not isinstance(handler, CommandHandler) or handler.commands == frozenset({"start"}):
                continue
            cmd = getattr(handler.callback, "command", None)
            assert cmd is not None, f"/{sorted(handler.commands)[0]} is not behind the check"
            assert catalog[cmd.name] == cmd
            guarded[cmd.name] = cmd
    assert set(guarded) == set(catalog)
