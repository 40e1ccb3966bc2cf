"""The query page's example questions, read from ``docs/queries/*.rq`` — one set, defined once.

Why: the page, the README and the query files used to hold three different lists. The
``.rq`` files are the source (the README shows them, ``tests/test_readme.py`` checks that);
the page lists whatever is there. A file's first line ``# title: 中文 / English`` gives its
title both ways (else its leading ``#`` lines are the question, and ``# zh: …`` the
Chinese). ``server/static/examples.json`` is generated from them (``make examples``) for
installs without the docs folder; ``tests/test_browser.py`` checks it is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[1] / "docs" / "queries"
GENERATED = Path(__file__).with_name("static") / "examples.json"


def example(path: Path) -> dict:
    """One example: id (file stem), English and Chinese title, the query text as in the file."""
    text = path.read_text(encoding="utf-8")
    en: list[str] = []
    zh: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        words = line.lstrip("#").strip()
        if words.lower().startswith("title:"):  # "# title: 中文 / English": the title, both ways
            both = words[6:].strip()
            cn, sep, english = both.partition(" / ") if " / " in both else both.partition("/ ")
            if sep:
                zh, en = [cn.strip()], [english.strip()]
            else:
                en = [both]
            break
        if words.lower().startswith("zh:"):
            zh.append(words[3:].strip())
        elif words:
            en.append(words)
    title = " ".join(en) or path.stem
    return {"id": path.stem, "file": f"docs/queries/{path.name}", "title": title,
            "title_zh": " ".join(zh) or title, "query": text.rstrip() + "\n"}


def examples(folder: Path = QUERIES) -> list[dict]:
    """Every ``*.rq`` of ``folder`` in file-name order; the packaged copy when it is absent."""
    if folder.is_dir():
        return [example(p) for p in sorted(folder.glob("*.rq"), key=query_order)]
    return json.loads(GENERATED.read_text(encoding="utf-8"))


def query_order(path: Path) -> tuple[int, str]:
    """``2-…`` before ``10-…``: the files are numbered like the README's sections."""
    head = path.stem.split("-", 1)[0]
    return (int(head) if head.isdigit() else 1_000_000, path.stem)


def render(items: list[dict]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m policykg.server.examples: regenerate the packaged copy
    GENERATED.write_text(render(examples()), encoding="utf-8")
    sys.stdout.write(f"{GENERATED}: {len(examples())} examples\n")
