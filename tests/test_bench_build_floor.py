"""bench/build_floor.py measures what the engine alone costs on a real dump (the seeds')."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import build_floor  # noqa: E402


def test_the_floor_of_the_seed_dump_is_measured_in_child_processes(seed_build: Path, capsys):
    dump = seed_build / "graph.nq"
    assert build_floor.main([str(dump), "--rounds", "1", "--text-mb", "0.21"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{dump}: ") and "quads" in out[0]
    rows = {line.split(" | ")[0][2:]: float(line.split(" | ")[1].split()[0])
            for line in out if line.startswith("| ") and "CPU s" not in line}
    assert set(rows) == {"imports", "bulk_load", "oxigraph load", "memory parse"}
    assert rows["imports"] > 0.1 and rows["bulk_load"] > 0  # real processes, real work
    assert out[-1].startswith("imports + bulk_load = ") and "MB of text per CPU-second" in out[-1]
