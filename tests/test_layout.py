"""The house rules of the layout (docs/architecture.md), checked so that they stay true.

No import cycle inside the runtime package, no runtime module over 400 lines or function over
60, every ``NEWSCRAWLER_*`` default declared in ``settings.py`` only, one site registry that
Scrapy's spider loader agrees with, a short README whose links (and the docs' links) resolve.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newscrawler"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def runtime_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def imports_of(module: str, path: Path) -> set[str]:
    """Modules of the package this one imports when it runs (``TYPE_CHECKING`` blocks aside;
    imports inside functions count: they are a dependency all the same)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for child in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    known = dict(runtime_modules())
    return {name for name in found if name in known and name != module}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_in_the_runtime_package() -> None:
    graph = {module: imports_of(module, path) for module, path in runtime_modules()}
    # a package's __init__ is imported before any of its modules: that edge is no dependency
    graph = {
        module: {t for t in targets if not module.startswith(t + ".")}
        for module, targets in graph.items()
    }
    assert find_cycle(graph) is None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_runtime_modules_are_short() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for _, path in runtime_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_runtime_functions_are_short() -> None:
    long = []
    for _, path in runtime_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert long == []


#: A setting read with a default of its own, or a fallback after ``or``.
INLINE_DEFAULT = re.compile(
    r"""get\w*\(\s*["']NEWSCRAWLER_\w+["']\s*,|["']NEWSCRAWLER_\w+["']\s*\)\s*or\s"""
)


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ('settings.getint("NEWSCRAWLER_FILE_MAX_ITEMS", 1000)', True),
        ('settings.get("NEWSCRAWLER_OUTPUT_DIR") or "output"', True),
        ('settings.getint("NEWSCRAWLER_FILE_MAX_ITEMS")', False),
    ],
)
def test_the_inline_default_pattern(line: str, flagged: bool) -> None:
    assert bool(INLINE_DEFAULT.search(line)) is flagged


def test_setting_defaults_are_declared_in_settings_only() -> None:
    from newscrawler import settings

    declared = {name for name in dir(settings) if name.startswith("NEWSCRAWLER_")}
    inline, undeclared = [], set()
    for _, path in runtime_modules():
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        inline += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in INLINE_DEFAULT.finditer(text)]
        undeclared |= set(re.findall(r"""["'](NEWSCRAWLER_\w+)["']""", text)) - declared
    assert inline == []
    assert undeclared == set()


def test_the_registry_is_what_scrapy_loads() -> None:
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    from newscrawler.sites import profiles
    from newscrawler.spiders.profiled import SPIDERS

    loader = SpiderLoader.from_settings(get_project_settings())
    # every profile's spider, and the generic one for sites without a profile
    assert sorted(loader.list()) == sorted([*profiles(), "generic"])
    assert list(profiles()) == sorted(SPIDERS)
    for name, profile in profiles().items():
        assert loader.load(name).profile is profile


def test_the_readme_is_short() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250


LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_relative_link_in_the_docs_resolves() -> None:
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert broken == []
