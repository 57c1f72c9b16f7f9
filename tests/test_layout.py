"""The package layout shows the pipeline: stage subpackages, imports pointing downstream, no cycles."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "engine" / "evx"

# Stages in pipeline order. A module may import from its own stage and from any stage of a
# lower rank (stages of one rank are independent of each other); `ruleset` is the façade that knows the whole chain, and only what is built on
# it (tools, evaluation, integrations, the CLI, the public API) may import it.
RANK = {
    "version": 0,
    "errors": 0,
    "codes": 0,
    "normalize": 1,
    "text": 1,
    "lang": 2,
    "check": 3,
    "match": 4,
    "records": 5,
    "cache": 6,
    "parallel": 6,
    "_orphans": 6,
    "ruleset": 7,
    "tools": 8,
    "evaluation": 8,
    "integrations": 8,
    "cli": 9,
    "__init__": 10,
    "__main__": 10,
}

TABLE_MODULES = {"evx.codes", "evx.lang.syntax_errors"}  # data tables may be long
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "grammar" in path.relative_to(PACKAGE).parts:
            continue
        parts = ["evx", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__" and len(parts) > 2:
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _runtime_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement except those under `if TYPE_CHECKING:` (type-only)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            stack.append(child)


def _targets(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] == "evx":
                yield alias.name
        return
    if node.level or not node.module or node.module.split(".")[0] != "evx":
        return
    for alias in node.names:
        submodule = f"{node.module}.{alias.name}"
        yield submodule if submodule in MODULES else node.module


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {t for imp in _runtime_imports(tree) for t in _targets(imp) if t != name}
    return graph


GRAPH = _graph()


def _stage(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def test_every_import_names_a_module_of_the_package() -> None:
    """The import scan sees real modules (a renamed module would otherwise hide an edge)."""
    unknown = {(m, t) for m, targets in GRAPH.items() for t in targets if t not in MODULES}
    assert not unknown


def test_the_stages_are_subpackages() -> None:
    """The file list reads as the pipeline: one subpackage per stage."""
    for stage in ("text", "lang", "check", "match", "records", "tools", "evaluation", "cli"):
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {
        "__init__",
        "__main__",
        "errors",
        "codes",
        "version",
        "cache",
        "parallel",
        "_orphans",
        "ruleset",
    }


def test_imports_point_downstream() -> None:
    """A module imports only from its own stage or from earlier stages of the pipeline."""
    wrong = []
    for module, targets in GRAPH.items():
        src = _stage(module)
        for target in targets:
            dst = _stage(target)
            if dst == src:
                continue
            if RANK[dst] >= RANK[src]:  # later, or a sibling stage of the same rank
                wrong.append(f"{module} -> {target}")
    assert not wrong, "upstream or sideways imports:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles() -> None:
    """No two modules need each other at import time (type-only imports aside)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # Tarjan's strongly connected components, iterative
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(GRAPH[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(GRAPH[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small_and_say_what_they_do(module: str) -> None:
    """Every module opens with a docstring and, data tables aside, stays under ~500 lines."""
    text = MODULES[module].read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(text)), f"{module} has no module docstring"
    if module not in TABLE_MODULES:
        lines = text.count("\n")
        assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by what each part owns"


def test_the_checker_runs_its_passes_from_one_list() -> None:
    """Each checker pass is a module with one entry function, run in order from PASSES."""
    from evx.check import PASSES

    modules = [p.__module__ for p in PASSES]
    assert len(set(modules)) == len(modules)
    assert all(m.startswith("evx.check.") for m in modules)
