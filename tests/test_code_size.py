"""Small modules and functions: no ddb_guard module over 600 lines, no function over 80 lines
unless its docstring holds a line starting with ``Long because:`` that says why (see
docs/ARCHITECTURE.md, "Code size"). Split along the seams of what the code does, not
mechanically."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ddb_guard"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
REASON = "Long because:"


def long_modules(sources: dict[str, str]) -> list[str]:
    """``path (N lines)`` of each module over ``MAX_MODULE_LINES``."""
    return [
        f"{path} ({text.count(chr(10))} lines)"
        for path, text in sorted(sources.items())
        if text.count("\n") > MAX_MODULE_LINES
    ]


def long_functions(sources: dict[str, str]) -> list[str]:
    """``path:line name (N lines)`` of each function over ``MAX_FUNCTION_LINES`` (from its
    ``def`` line to its last line; nested functions count in their parent too) whose docstring
    gives no ``Long because:`` reason."""
    found = []
    for path, text in sorted(sources.items()):
        for node in ast.walk(ast.parse(text, filename=path)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            if size <= MAX_FUNCTION_LINES:
                continue
            doc = ast.get_docstring(node) or ""
            if any(line.strip().startswith(REASON) for line in doc.splitlines()):
                continue
            found.append(f"{path}:{node.lineno} {node.name} ({size} lines)")
    return found


def _package_sources() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE.parent).as_posix(): path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*.py")
    }


def _function(name: str, body_lines: int, doc: str = "") -> str:
    docstring = f'    """{doc}"""\n' if doc else ""
    return f"def {name}():\n" + docstring + "    x = 1\n" * body_lines


def test_the_checker_finds_long_modules_and_unexplained_long_functions() -> None:
    sources = {
        "long.py": _function("long", 80),  # 81 lines
        "fits.py": _function("fits", 79),  # 80 lines
        "explained.py": _function("explained", 80, "Reads X.\n\n    Long because: one table."),
        "mentioned.py": _function("mentioned", 80, "Not Long because: it is not at a line start"),
        "big.py": "x = 1\n" * 601,
        "edge.py": "x = 1\n" * 600,
    }
    assert long_functions(sources) == [
        "long.py:1 long (81 lines)",
        "mentioned.py:1 mentioned (82 lines)",
    ]
    assert long_modules(sources) == ["big.py (601 lines)"]


def test_no_module_is_over_600_lines() -> None:
    found = long_modules(_package_sources())
    assert not found, "split along their seams:\n" + "\n".join(found)


def test_no_function_is_over_80_lines_without_a_reason() -> None:
    found = long_functions(_package_sources())
    assert not found, f"split, or say why in the docstring ({REASON} ...):\n" + "\n".join(found)
