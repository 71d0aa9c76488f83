"""The layers of ARCHITECTURE.md, enforced: each package imports only the layers below it, the front doors go
through fawen.service, and the import graph has no loop. Imports inside functions count (they run); imports
under `if TYPE_CHECKING:` do not (they never run).

    .venv/bin/python tests/test_layers.py     prints the graph's loops and upward imports
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fawen"
BASE = {"fawen.config", "fawen.errors", "fawen.models", "fawen.dates", "fawen.db", "fawen.text", "fawen.version"}
DOORS = {"fawen.cli", "fawen.terminal", "fawen.api", "fawen.protocol", "fawen.mcp_server", "fawen.web", "fawen.docs"}
# What each layer may import (besides itself). Renderers and report types are what the doors print.
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "fawen.corpus": set(),
    "fawen.retrieve": {"fawen.corpus"},
    "fawen.cite": {"fawen.corpus"},
    "fawen.answer": {"fawen.corpus", "fawen.cite"},
    "fawen.qa": {"fawen.corpus"},
    "fawen.request": set(),
    # The build stores what the Library would otherwise compute at first use (the answer layer's ReferenceIndex).
    "fawen.build": {"fawen.corpus", "fawen.retrieve", "fawen.cite", "fawen.answer"},
    "fawen.library": {"fawen.corpus", "fawen.retrieve", "fawen.cite", "fawen.answer", "fawen.qa"},
    "fawen.service": {"fawen.corpus", "fawen.retrieve", "fawen.cite", "fawen.answer", "fawen.qa", "fawen.request",
                      "fawen.build", "fawen.library"},
    # A batch client of the service: its workers check pages through service.check (fawen/archive).
    "fawen.archive": {"fawen.service", "fawen.request", "fawen.library", "fawen.cite", "fawen.corpus"},
    "doors": {"fawen.service", "fawen.request", "fawen.answer.render", "fawen.cite.render", "fawen.cite.report",
              "fawen.archive", "fawen", *DOORS},
    "fawen": {"fawen.service"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    if module == "fawen":
        return "fawen"
    if any(module == b or module.startswith(b + ".") for b in BASE):
        return "base"
    if any(module == d or module.startswith(d + ".") for d in DOORS):
        return "doors"
    parts = module.split(".")
    return ".".join(parts[:2])


def imports(path: Path) -> set[str]:
    """The fawen modules a file imports at run time (TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("fawen"))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + ([base] if base else []))
                if base.startswith("fawen"):
                    for alias in child.names:
                        candidate = f"{base}.{alias.name}"
                        found.add(candidate if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists()
                                  or (PACKAGE.parent / candidate.replace(".", "/")).is_dir() else base)
            visit(child)

    visit(tree)
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) - {module_name(p)} for p in sorted(PACKAGE.rglob("*.py"))}


def allowed(source: str, target: str) -> bool:
    src, dst = layer(source), layer(target)
    if dst == "base" or src == dst:
        return True
    rules = ALLOWED[src]
    # "fawen" (the package itself, for __version__) is allowed as itself only, not as a prefix of everything.
    return dst in rules or target in rules or any(target.startswith(r + ".") for r in rules if r != "fawen")


def upward(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((s, t) for s, targets in edges.items() for t in targets if not allowed(s, t))


def loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def test_no_module_imports_a_layer_above_it() -> None:
    assert upward(graph()) == []


def test_the_import_graph_has_no_loop() -> None:
    assert loops(graph()) == []


def test_front_doors_go_through_the_service() -> None:
    for source, targets in graph().items():
        if layer(source) == "doors":
            reached = {t for t in targets if layer(t) in ("fawen.retrieve", "fawen.cite", "fawen.corpus", "fawen.qa",
                                                          "fawen.answer", "fawen.library", "fawen.build")}
            assert reached <= {"fawen.answer.render", "fawen.cite.render", "fawen.cite.report"}, (source, reached)


def test_only_the_stores_run_sql() -> None:
    """sqlite3 is opened in fawen/db.py only; SQL text appears only in corpus/ and db.py."""
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        name = module_name(path)
        if "sqlite3.connect" in text:
            assert name == "fawen.db", name
        if any(word in text for word in ("SELECT ", "INSERT INTO", "CREATE TABLE")):
            assert name == "fawen.db" or name.startswith("fawen.corpus."), name


if __name__ == "__main__":
    edges = graph()
    print(f"{len(edges)} modules, {sum(len(t) for t in edges.values())} imports")
    print("loops:", loops(edges) or "none")
    print("upward imports:", upward(edges) or "none")
