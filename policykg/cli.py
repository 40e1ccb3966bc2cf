"""``policykg``: build the graph, query it, validate it, serve it, score the extractor.

Exit codes are part of the interface (scripts and CI rely on them): 0 success,
1 the data is wrong (violations, failed documents, a failed build), 2 the call is
wrong (bad arguments, unreadable files, a malformed query).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("build")
MAX_CELL_WIDTH = 60


def version() -> str:
    """The installed distribution's version (pyproject.toml is its one source)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("policykg")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _Commands(argparse._SubParsersAction):
    """Sub-commands whose --help shows every default."""

    def add_parser(self, name, **kwargs):
        kwargs.setdefault("formatter_class", argparse.ArgumentDefaultsHelpFormatter)
        return super().add_parser(name, **kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="policykg", description=__doc__.splitlines()[0])
    parser.register("action", "parsers", _Commands)
    parser.add_argument("--version", action="version", version=f"policykg {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", help="extract the documents and build graph.nq and the store")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of .txt/.md documents")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (graph.nq, store/)")
    p.add_argument("--workers", type=int, default=1, help="extraction processes")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation (not advised)")
    p.add_argument("--strict", action="store_true",
                   help="any failed or violating document keeps the previous build")
    p.add_argument("--no-cache", action="store_true",
                   help="build everything again, ignoring the cache in OUT/cache/")
    p.set_defaults(run=_build)

    p = commands.add_parser("query", help="run a SPARQL query on the built store")
    p.add_argument("query", help="SPARQL query text, or @FILE to read it from a file")
    p.add_argument("--store", type=Path, default=DEFAULT_OUT / "store")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(run=_query)

    p = commands.add_parser("validate", help="validate RDF files against the shapes",
                            add_help=False)
    p.set_defaults(run=_validate)

    p = commands.add_parser("serve", help="serve the store over the SPARQL protocol")
    p.add_argument("--store", type=Path, default=DEFAULT_OUT / "store")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                   help="built first if no store exists")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run")
    p.add_argument("--max-rows", type=int, default=10_000, help="cap on result rows")
    p.add_argument("--answer-cache-mb", type=int, default=64,
                   help="MiB of whole answers kept for queries asked again (0 = none)")
    p.add_argument("--workers", type=int, default=2,
                   help="general-lane query worker processes")
    p.add_argument("--fast-workers", type=int, default=1,
                   help="worker processes kept for cheap queries (the fast lane)")
    p.add_argument("--queue-timeout", type=float, default=60.0,
                   help="seconds a request may wait for a free worker before 503")
    p.add_argument("--base-url", default=None,
                   help="public base URL for VoID, the service description and redirects "
                        "(default: http://HOST:PORT/; never the Host header)")
    p.add_argument("--engine", choices=("binary", "pool"), default=None,
                   help="who evaluates queries (default: the server's; see server/README.md)")
    p.set_defaults(run=_serve)

    p = commands.add_parser("eval", help="score task→agency extraction against the gold annotation")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    p.add_argument("--gold", type=Path, default=Path("tests/gold/assignments.tsv"))
    p.add_argument("--corpus", type=Path, default=None,
                   help="score the documents of DIR against DIR/gold/<stem>.tsv instead")
    p.add_argument("--json", action="store_true", help="with --corpus: machine-readable output")
    p.add_argument("--show-errors", action="store_true",
                   help="with --corpus: list false positives and negatives with their quote")
    p.set_defaults(run=_eval)

    args, rest = parser.parse_known_args(argv)
    if args.command != "validate" and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return args.run(args, rest)


def _build(args, _rest) -> int:
    """Exit 0: built. 1: some documents were left out (the rest is built and swapped in),
    or nothing was built (the previous build is kept). 2: ``--seeds``/``--out`` unusable.
    Every failure is one line naming the document or folder and the cause."""
    from policykg.build import BuildError, UsageError, build
    from policykg.extract.errors import os_words, plain_cause

    print(f"building from {args.seeds}/ into {args.out}/")
    try:
        summary = build(args.seeds, args.out, workers=args.workers,
                        validate=not args.no_validate, strict=args.strict,
                        cache=not args.no_cache)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # a full disk, a folder removed under the build …
        print(f"error: {os_words(err)}; the previous build is kept", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the previous build is kept", file=sys.stderr)
        return 130
    except Exception as err:  # a bug of the build itself: one line, not a traceback
        print(f"error: the build failed: {plain_cause(err)}; the previous build is kept",
              file=sys.stderr)
        return 1
    for line in summary.lines():
        print(line)
    if summary.failed:
        print(f"error: {len(summary.failed)} document(s) left out: {', '.join(summary.failed)}",
              file=sys.stderr)
        return 1
    return 0


def _query(args, _rest) -> int:
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions

    from policykg.extract.errors import os_words
    from policykg.ontology.vocab import PREFIXES
    from policykg.server.errors import readable
    from policykg.store import open_read_only

    text = args.query
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            reason = os_words(err) if isinstance(err, OSError) else "not UTF-8 text"
            print(f"error: cannot read the query file {text[1:]}: {reason}", file=sys.stderr)
            return 2
    try:
        store = open_read_only(args.store)
    except (FileNotFoundError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:  # predeclared prefixes apart from the text: error positions are the user's own
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as err:
        print(f"error: malformed query: {readable(str(err), text, PREFIXES)}", file=sys.stderr)
        return 2

    out = sys.stdout
    if isinstance(result, QuerySolutions):
        if args.format == "table":
            _print_table(result, out)
        else:
            fmt = QueryResultsFormat.JSON if args.format == "json" else QueryResultsFormat.CSV
            out.write(result.serialize(format=fmt).decode("utf-8"))
    elif isinstance(result, QueryBoolean):
        print("true" if bool(result) else "false")
    else:  # CONSTRUCT / DESCRIBE
        from pyoxigraph import RdfFormat, serialize

        out.write(serialize(result, format=RdfFormat.TURTLE).decode("utf-8"))
    return 0


def _cell(term) -> str:
    """A result cell for a person: IRIs shortened with the project's prefixes."""
    from pyoxigraph import NamedNode

    from policykg.ontology.vocab import PREFIXES

    if term is None:
        return ""
    value = term.value
    if isinstance(term, NamedNode):
        for prefix, iri in PREFIXES.items():
            if value.startswith(iri):
                return f"{prefix}:{value[len(iri):]}"
    return value


def _print_table(solutions, out) -> None:
    names = [v.value for v in solutions.variables]

    def width(s: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)

    def clip(s: str) -> str:  # long texts are for --format json/csv; a table stays readable
        s = " ".join(s.split())
        if width(s) <= MAX_CELL_WIDTH:
            return s
        kept, used = [], 0
        for ch in s:
            used += width(ch)
            if used > MAX_CELL_WIDTH - 1:
                break
            kept.append(ch)
        return "".join(kept) + "…"

    rows = [[clip(_cell(row[name])) for name in names] for row in solutions]

    widths = [max([width(n), *(width(r[i]) for r in rows)]) for i, n in enumerate(names)]

    def line(cells):
        return " | ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True))

    print(line(names), file=out)
    print("-+-".join("-" * w for w in widths), file=out)
    for r in rows:
        print(line(r), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def _validate(_args, rest) -> int:
    from policykg.shapes.validate import main as validate_main

    return validate_main(rest)


def _serve(args, _rest) -> int:
    if not (args.store / "CURRENT").exists():
        print(f"no store at {args.store}: building it from {args.seeds}/ first")
        code = _build(argparse.Namespace(seeds=args.seeds, out=args.store.parent, workers=1,
                                         no_validate=False, strict=False), [])
        if code:
            return code
    from policykg.server.main import serve

    serve(args.store, host=args.host, port=args.port, timeout=args.timeout,
          max_rows=args.max_rows, workers=args.workers, fast_workers=args.fast_workers,
          queue_timeout=args.queue_timeout, base_url=args.base_url,
          answer_cache=args.answer_cache_mb << 20,
          **({"engine": args.engine} if args.engine else {}))
    return 0


def _eval(args, _rest) -> int:
    from policykg.extract.evaluate import evaluate, predicted_rows, read_gold
    from policykg.extract.pipeline import extract_corpus

    if args.corpus is not None:
        from policykg.corpus_eval import run_corpus_eval

        return run_corpus_eval(args.corpus, as_json=args.json, show_errors=args.show_errors)

    result = extract_corpus(args.seeds)
    scores = evaluate(read_gold(args.gold), predicted_rows(result.documents))
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(["precision", "recall", "f1", "false_positives", "false_negatives"])
    writer.writerow([f"{scores.precision:.4f}", f"{scores.recall:.4f}", f"{scores.f1:.4f}",
                     len(scores.false_positives), len(scores.false_negatives)])
    for kind, rows in (("FP", scores.false_positives), ("FN", scores.false_negatives)):
        for row in rows:
            print(kind, *row, sep="\t")
    return 0


def entry() -> None:
    """Console-script entry: exit codes, and quiet when the reader closes the pipe (| head)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    entry()
