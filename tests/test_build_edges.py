"""``policykg build`` at its edges: bad documents beside good ones, killed builds, unsafe
folder entries, unusable output folders, failures in plain words, exit codes.

Real files, real stores, the real command in a subprocess where exit codes and output
lines are what is tested. The documents are synthetic plans in the genre.
"""

from __future__ import annotations

import decimal
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from policykg.extract import pipeline
from policykg.extract.errors import plain_cause
from policykg.shapes.validate import SHAPES_FILE
from test_build import SMALL_PLAN

from policykg.build import BuildError, UsageError, build
from policykg.outdir import claim

ROOT = Path(__file__).resolve().parents[1]

PLAN_A = SMALL_PLAN  # the small plan of test_build: one Wuhan 工作方案, two tasks

PLAN_B = """关于促进新能源汽车产业高质量发展的实施方案
各县（市、区）人民政府，市政府各部门：
为推动新能源汽车产业发展，制定本方案。
一、主要任务
（一）壮大整车企业。支持整车企业扩大产能，发展氢能源汽车。（责任单位：市经信局、市发改委）
（二）完善充电设施。加快充电桩建设。（牵头单位：市住建局；责任单位：市发改委）
襄阳市人民政府
2023年8月1日
"""

# 备忘 is no type word of document_types.tsv: the document has no pk:documentType.
POINTS = """二〇二四年全市数字经济工作备忘
各区人民政府，市人民政府各部门：
现将今年数字经济重点工作安排如下，请认真抓好落实。
一、重点工作
（一）建设数据中心。推进算力基础设施建设。（责任单位：市发改委、市经信局）
（二）培育数字企业。加大企业培育力度。（牵头单位：市经信局；责任单位：市科技局）
武汉市人民政府办公厅
2024年3月6日
"""

# Mentions an agency no other plan does, and lists industries that grow the scheme.
PLAN_BAD = """关于推动文旅产业融合发展的行动方案
各区人民政府，市人民政府各部门：
为推动文化和旅游融合发展，着力打造氢能源汽车、数字文创、康养旅游三大产业集群，制定本方案。
一、重点任务
（一）建设文旅街区。打造特色文旅消费街区。（责任单位：市文旅局、市商务局）
（二）发展氢能源汽车。推进加氢站布局。（责任单位：市经信局）
武汉市人民政府
2023年6月1日
"""

# The project's shapes plus one rule only PLAN_BAD breaks, on a node of the vocabularies
# graph (an agency), so the build must find the document through what points at it.
NO_TOURISM_AGENCY = """
pksh:TestNoTourismAgency a sh:NodeShape ;
    sh:targetClass pk:Agency ;
    sh:property [ sh:path skos:prefLabel ; sh:pattern "^[^旅]*$" ;
                  sh:message "测试：机构名称不含“旅”"@zh , "test: no agency name with 旅"@en ] .
"""


def quiet(_line: str) -> None:
    pass


def folder(path: Path, docs: dict[str, str | bytes]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        if isinstance(text, bytes):
            (path / name).write_bytes(text)
        else:
            (path / name).write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policykg.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def same_dump(a: Path, b: Path) -> bool:
    return (a / "graph.nq").read_bytes() == (b / "graph.nq").read_bytes()


def dot_entries(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


# -- a document without a recognised type is a warning ------------------------------------


def test_document_of_unknown_type_builds_alone_with_a_warning(tmp_path):
    docs = folder(tmp_path / "docs", {"points.txt": POINTS})
    summary = build(docs, tmp_path / "out", progress=quiet)
    assert summary.documents == 1 and summary.failed == []
    assert summary.warnings >= 1
    assert "算力基础设施" in (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8")


def test_one_line_markdown_file_builds(tmp_path):
    docs = folder(tmp_path / "docs", {"note.md": "# 关于做好数字经济统计工作的安排\n"})
    summary = build(docs, tmp_path / "out", progress=quiet)
    assert summary.documents == 1 and summary.failed == []
    assert (tmp_path / "out" / "store" / "CURRENT").exists()


# -- a bad document is left out; the others are exactly a build without it ----------------


def test_violating_document_is_left_out_and_the_rest_is_a_build_without_it(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES_FILE.read_text(encoding="utf-8") + NO_TOURISM_AGENCY,
                      encoding="utf-8")
    good = {"a.txt": PLAN_A, "b.txt": PLAN_B}
    lines: list[str] = []
    summary = build(folder(tmp_path / "with", {**good, "bad.txt": PLAN_BAD}), tmp_path / "o1",
                    shapes=shapes, progress=lines.append)
    assert summary.failed == ["bad.txt"] and summary.documents == 2
    [line] = [x for x in lines if "bad.txt" in x and "✗" in x]
    assert "violates the shapes: test: no agency name with 旅" in line
    build(folder(tmp_path / "without", good), tmp_path / "o2", shapes=shapes, progress=quiet)
    dump = (tmp_path / "o1" / "graph.nq").read_bytes()
    assert dump == (tmp_path / "o2" / "graph.nq").read_bytes()
    assert "文旅".encode() not in dump and "康养旅游".encode() not in dump
    assert (tmp_path / "o1" / "store" / "graph.nq").read_bytes() == dump


def test_strict_keeps_the_previous_build_on_a_violating_document(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES_FILE.read_text(encoding="utf-8") + NO_TOURISM_AGENCY,
                      encoding="utf-8")
    docs = folder(tmp_path / "docs", {"a.txt": PLAN_A})
    out = tmp_path / "out"
    build(docs, out, shapes=shapes, progress=quiet)
    before = (out / "graph.nq").read_bytes()
    store_files = sorted((out / "store").iterdir())
    folder(docs, {"bad.txt": PLAN_BAD})
    with pytest.raises(BuildError, match="violates the shapes"):
        build(docs, out, shapes=shapes, strict=True, progress=quiet)
    assert (out / "graph.nq").read_bytes() == before
    assert sorted((out / "store").iterdir()) == store_files
    assert dot_entries(out) == []


def test_extraction_bug_is_one_plain_line_and_leaves_no_trace(tmp_path, monkeypatch):
    """A document that breaks the extractor grew the industry scheme before it failed;
    the others are extracted again without it, so nothing of it reaches the graph."""
    real = pipeline.find_targets

    def find_targets(text, *args, **kwargs):
        if "文旅" in text:
            decimal.Decimal("abc") + 1  # raises decimal.InvalidOperation
        return real(text, *args, **kwargs)

    monkeypatch.setattr(pipeline, "find_targets", find_targets)
    good = {"a.txt": PLAN_A, "b.txt": PLAN_B}
    with_bad = folder(tmp_path / "with", {**good, "bad.txt": PLAN_BAD})
    grown = pipeline._grown_scheme(pipeline.read_document(p) for p in sorted(with_bad.iterdir()))
    plain = pipeline._grown_scheme(
        pipeline.read_document(with_bad / n) for n in sorted(good))
    assert grown.industries() != plain.industries()  # the bad plan does grow the scheme

    lines: list[str] = []
    summary = build(with_bad, tmp_path / "o1", progress=lines.append)
    assert summary.failed == ["bad.txt"]
    [line] = [x for x in lines if "bad.txt" in x]
    assert line.startswith("  ✗ bad.txt: extraction failed: an invalid number computation (at ")
    assert "InvalidOperation" not in line and "<class" not in line
    build(folder(tmp_path / "without", good), tmp_path / "o2", progress=quiet)
    assert same_dump(tmp_path / "o1", tmp_path / "o2")


def test_malformed_document_cli_exit_1_the_rest_built(tmp_path):
    good = {"a.txt": PLAN_A, "b.txt": PLAN_B}
    docs = folder(tmp_path / "docs", {**good, "broken.txt": b"\xff\xfe\x00garbage\x80\x81"})
    proc = run_cli("build", "--seeds", str(docs), "--out", str(tmp_path / "o1"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "  ✗ broken.txt: not UTF-8: undecodable byte 0xff at byte offset 0" in proc.stdout
    assert "error: 1 document(s) left out: broken.txt" in proc.stderr
    build(folder(tmp_path / "without", good), tmp_path / "o2", progress=quiet)
    assert same_dump(tmp_path / "o1", tmp_path / "o2")

    before = (tmp_path / "o1" / "graph.nq").read_bytes()
    folder(docs, {"a.txt": PLAN_A.replace("数据中心", "算力中心")})
    proc = run_cli("build", "--strict", "--seeds", str(docs), "--out", str(tmp_path / "o1"))
    assert proc.returncode == 1
    assert "--strict: the previous build is kept" in proc.stderr
    assert (tmp_path / "o1" / "graph.nq").read_bytes() == before


# -- killed builds -------------------------------------------------------------------------


def _kill_build_when(out: Path, ready) -> list[str]:
    """Start ``policykg build`` into ``out``, SIGKILL it once ``ready(out)``; what it left."""
    for _attempt in range(3):  # the build may finish before the moment is seen
        proc = subprocess.Popen(
            [sys.executable, "-m", "policykg.cli", "build", "--out", str(out)], cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and not ready(out) and time.monotonic() < deadline:
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return dot_entries(out)
    raise AssertionError("the build always finished before it could be killed")


def _extracting(out: Path) -> bool:
    return any(n.startswith(".build-") for n in dot_entries(out))


def _dump_written(out: Path) -> bool:
    return any((out / n / "graph.nq").exists() or n.startswith(".store.new-")
               for n in dot_entries(out))


def test_next_build_removes_what_a_killed_build_left(tmp_path):
    out = tmp_path / "out"
    build(ROOT / "seeds", out, progress=quiet)
    good = (out / "graph.nq").read_bytes()
    during_extraction = _kill_build_when(out, _extracting)
    assert [n[:7] for n in during_extraction] == [".build-"]
    after_dump = _kill_build_when(out, _dump_written)  # cleans the first one's, leaves its own
    assert during_extraction[0] not in after_dump and after_dump
    assert (out / "graph.nq").read_bytes() == good  # a killed build changes nothing
    # what a kill during the store swap leaves, and files that are not the build's
    (out / ".store.new-abc123").mkdir()
    (out / ".store.new-abc123" / "000001.sst").write_bytes(b"x" * 1000)
    (out / ".notes").write_text("mine")
    (out / "report.txt").write_text("mine")

    lines: list[str] = []
    build(ROOT / "seeds", out, progress=lines.append)
    assert dot_entries(out) == [".notes"]
    assert (out / "report.txt").exists()
    removed = [x for x in lines if "left by an interrupted build" in x]
    assert len(removed) == len(after_dump) + 1
    assert all(any(name in x for x in removed) for name in [*after_dump, ".store.new-abc123"])
    assert (out / "graph.nq").read_bytes() == good


def test_a_running_build_is_not_disturbed_by_a_second_one(tmp_path):
    docs = folder(tmp_path / "docs", {"a.txt": PLAN_A})
    out = tmp_path / "out"
    with claim(out) as (work, _removed):
        with pytest.raises(BuildError, match="another build is writing into this folder"):
            build(docs, out, progress=quiet)
        assert work.exists()
    build(docs, out, progress=quiet)


# -- unsafe entries of the input folder ------------------------------------------------------


def test_links_out_of_the_folder_fifos_devices_and_loops_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("关于机密事项的通知\n本文件内容不得公开。\n", encoding="utf-8")
    docs = folder(tmp_path / "docs", {"a.txt": PLAN_A})
    folder(docs / "sub", {"b.txt": PLAN_B})
    (docs / "inside.txt").symlink_to("sub/b.txt")  # a link inside the folder is read
    (docs / "leak.txt").symlink_to(secret)
    (docs / "shadow.txt").symlink_to("/etc/shadow")
    (docs / "zero.txt").symlink_to("/dev/zero")
    (docs / "loop1.txt").symlink_to("loop2.txt")
    (docs / "loop2.txt").symlink_to("loop1.txt")
    (docs / "gone.txt").symlink_to("nowhere.txt")
    os.mkfifo(docs / "pipe.txt")
    (docs / "folder.md").mkdir()
    out = tmp_path / "out"
    proc = run_cli("build", "--seeds", str(docs), "--out", str(out), timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    failed = {line.split(":")[0].strip("✗ "): line for line in proc.stdout.splitlines()
              if line.startswith("  ✗ ")}
    assert sorted(failed) == ["folder.md", "gone.txt", "leak.txt", "loop1.txt", "loop2.txt",
                              "pipe.txt", "shadow.txt", "zero.txt"]
    assert "outside the input folder" in failed["leak.txt"]
    assert "outside the input folder (/etc/shadow)" in failed["shadow.txt"]
    assert "outside the input folder (/dev/zero)" in failed["zero.txt"]
    assert "a symbolic link loop" in failed["loop1.txt"]
    assert "a named pipe (FIFO), not a regular file" in failed["pipe.txt"]
    assert "a symbolic link to nothing" in failed["gone.txt"]
    assert "a folder, not a regular file" in failed["folder.md"]
    assert "Traceback" not in proc.stderr
    dump = (out / "graph.nq").read_text(encoding="utf-8")
    assert "机密" not in dump
    assert "新能源汽车" in dump and "数字经济" in dump  # a.txt and inside.txt were built


def test_a_device_in_the_folder_is_refused():
    refusal = pipeline._refusal(Path("/dev/zero"), Path("/"))
    assert refusal == "a device, not a regular file: not read"


# -- unusable output or input folders --------------------------------------------------------


def _as_nobody() -> list[str]:
    """A command prefix that drops root, whom file modes do not stop."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file modes cannot be tested")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_read_only_or_uncreatable_out_is_one_line_and_exit_2(tmp_path):
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"policykg-ro-{os.getpid()}"
    try:
        docs = folder(base / "docs", {"a.txt": PLAN_A})
        readonly = base / "readonly"
        readonly.mkdir()
        for path in (base, docs, docs / "a.txt"):
            path.chmod(0o755)
        readonly.chmod(0o555)
        cases = {
            str(readonly): "cannot write into the output folder: permission denied",
            str(readonly / "sub"): "cannot create the output folder: permission denied",
            str(docs / "a.txt" / "out"): "cannot create the output folder: not a directory",
        }
        for out, words in cases.items():
            proc = subprocess.run(
                [*_as_nobody(), sys.executable, "-m", "policykg.cli", "build",
                 "--seeds", str(docs), "--out", out],
                cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert proc.returncode == 2, (out, proc.stdout, proc.stderr)
            assert proc.stderr == f"error: {out}: {words}\n"
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


def test_missing_seeds_is_exit_2_and_creates_nothing(tmp_path):
    proc = run_cli("build", "--seeds", str(tmp_path / "none"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr == f"error: {tmp_path / 'none'}: no such folder\n"
    assert not (tmp_path / "out").exists()
    with pytest.raises(UsageError):
        build(tmp_path / "none", tmp_path / "out", progress=quiet)


# -- failures in plain words -----------------------------------------------------------------


def _raise(kind):
    if kind == "decimal":
        return decimal.Decimal("1.5x") * 2
    if kind == "key":
        return {}["市经信局"]
    if kind == "zero":
        return 1 / 0
    raise PermissionError(13, "Permission denied", "/srv/docs/a.txt")


@pytest.mark.parametrize("kind, words", [
    ("decimal", "an invalid number computation (at tests/test_build_edges.py:"),
    ("key", "a missing entry: '市经信局' (at tests/test_build_edges.py:"),
    ("zero", "a division by zero: division by zero (at tests/test_build_edges.py:"),
    ("os", "permission denied: /srv/docs/a.txt (at tests/test_build_edges.py:"),
])
def test_plain_cause_says_what_went_wrong_without_the_class_name(kind, words):
    try:
        _raise(kind)
    except Exception as err:  # noqa: BLE001
        cause = plain_cause(err)
    assert cause.startswith(words) and cause.endswith(" in _raise)")
    assert "Error" not in cause and "InvalidOperation" not in cause and "\n" not in cause


def test_notes_describing_the_folder_are_not_documents(tmp_path):
    from policykg.extract.pipeline import scan_documents

    (tmp_path / "plan.txt").write_text("关于印发某市数字经济行动方案的通知\n", encoding="utf-8")
    for note in ("SOURCES.md", "README.md", "LICENSE.txt"):
        (tmp_path / note).write_text("# Where these documents came from\n", encoding="utf-8")
    paths, refused = scan_documents(tmp_path)
    assert [p.name for p in paths] == ["plan.txt"] and refused == []
