"""analyze/ holds no zh/en labels: no Chinese text in a string literal of an analyzer module.

Labels and sentences are render/'s (render/merge.py words the merge plan's reason codes);
Chinese words an analyzer matches in the data live in rules/*.yaml.  Docstrings and comments
may quote Chinese terms.  No module is left out (issue 24): the exit rules' placeholder site is
the code TBD_SITE (render/exits_doc.py words it), the bandwidth words of interface descriptions
are rules/vocabulary.yaml's, and the metrics' Chinese names and definitions are
render/catalogue.py's (metrics.definition keeps netconsol's English text).
"""
import ast
import re
from pathlib import Path

ANALYZE = Path(__file__).resolve().parents[2] / "netconsol" / "analyze"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


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
    found = []
    paths = sorted(ANALYZE.glob("*.py"))
    assert {"exits.py", "metrics.py", "figures.py"} <= {p.name for p in paths}
    for path in paths:
        for line, text in cjk_literals(path):
            found.append(f"netconsol/analyze/{path.name}:{line}: {text[:60]!r}")
    assert not found, "labels belong in render/, matched words in rules/*.yaml:\n" + "\n".join(found)


def test_the_check_sees_a_label_and_skips_docstrings(tmp_path):
    f = tmp_path / "m.py"
    f.write_text('"""模块说明"""\nX = {"a": "整合方案"}  # 注释\n\n\ndef f():\n    """函数说明"""\n'
                 '    return f"{X}：改址"\n', encoding="utf-8")
    assert [line for line, _ in cjk_literals(f)] == [2, 7]
