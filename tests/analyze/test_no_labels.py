"""analyze/ holds no zh/en labels: no Chinese text in a string literal of an analyzer module.

Labels and sentences are render/'s (render/merge.py words the merge plan's reason codes);
Chinese words an analyzer matches in the data live in rules/*.yaml.  Docstrings and comments
may quote Chinese terms.  analyze/exits.py is the one module left out: its labels are being
moved to render/ by the exits issue.
"""
import ast
import re
from pathlib import Path

ANALYZE = Path(__file__).resolve().parents[2] / "netconsol" / "analyze"
EXCEPT = {"exits.py"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Known and still open: the metric's official Chinese name inside its English definition, which
# every snapshot stores (metrics.definition) and the report prints; moving it changes scan outputs.
KNOWN = {("metrics.py", "netconsol definition (系统联通率)")}


def _docstrings(tree) -> set:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def cjk_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal of *path* holding CJK text, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and CJK.search(node.value)]


def test_no_chinese_in_analyzer_string_literals():
    found, known_seen = [], set()
    for path in sorted(ANALYZE.glob("*.py")):
        if path.name in EXCEPT:
            continue
        for line, text in cjk_literals(path):
            known = next((k for k in KNOWN if k[0] == path.name and text.startswith(k[1])), None)
            if known:
                known_seen.add(known)
            else:
                found.append(f"netconsol/analyze/{path.name}:{line}: {text[:60]!r}")
    assert not found, "labels belong in render/, matched words in rules/*.yaml:\n" + "\n".join(found)
    assert known_seen == KNOWN, "a known exception is gone: drop it from KNOWN"


def test_the_check_sees_a_label_and_skips_docstrings(tmp_path):
    f = tmp_path / "m.py"
    f.write_text('"""模块说明"""\nX = {"a": "整合方案"}  # 注释\n\n\ndef f():\n    """函数说明"""\n'
                 '    return f"{X}：改址"\n', encoding="utf-8")
    assert [line for line, _ in cjk_literals(f)] == [2, 7]
