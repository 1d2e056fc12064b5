"""Every text the plot functions write on a figure (titles, axis labels, legends, annotations),
read from the source of dlcourse/plots/: a string, or an f-string as a sentence with numbered
blanks ("lr = {0}") that dlcourse.i18n.tr_text fills with the values it finds.

``python tests/plot_strings.py`` adds the missing ones to ``dlcourse/locale/ja/plots.po`` as empty
entries to translate (``tests/test_translations.py`` fails while any is empty)."""
import ast
from pathlib import Path

from check_strings import update

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "dlcourse" / "locale" / "ja" / "plots.po"
TEXT_CALLS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "text", "annotate", "legend",
              "set_xticklabels", "set_yticklabels", "_image", "_curves", "figtext"}
TEXT_KEYWORDS = {"label", "title", "xlabel", "ylabel", "train_label", "test_label", "labels"}


def _sentences(node):
    """The strings (and f-string templates) an expression can evaluate to."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts, k = [], 0
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value).replace("{", "{{").replace("}", "}}"))
            else:
                parts.append("{%d}" % k)
                k += 1
        return ["".join(parts)]
    if isinstance(node, ast.IfExp):
        return _sentences(node.body) + _sentences(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for e in node.elts for s in _sentences(e)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _sentences(node.left) + _sentences(node.right)
    return []


def _worth(s):
    bare = s.replace("{{", "").replace("}}", "")
    words = "".join(ch for ch in __import__("re").sub(r"\{\d+\}", "", bare) if ch.isalpha())
    return len(words) >= 2 and not bare.startswith(("#", "$")) or " " in bare.strip() and len(words) >= 2


def harvest():
    found = {}
    for path in sorted((ROOT / "dlcourse" / "plots").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            values = []
            if name in TEXT_CALLS:
                values += [a for a in node.args]
            values += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS
                       or (name == "set" and k.arg in ("title", "xlabel", "ylabel"))]
            for v in values:
                for s in _sentences(v):
                    if s.strip() and _worth(s):
                        found[s] = None
    return list(found)


if __name__ == "__main__":
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    print(f"{update(harvest(), CATALOG)} entries to translate in {CATALOG}")
