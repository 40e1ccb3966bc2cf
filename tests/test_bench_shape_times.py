"""bench/shape_times.py times every compiled check on a real dump (the seed build)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import shape_times  # noqa: E402


def test_every_check_is_timed_on_the_seed_dump(seed_build: Path, capsys):
    assert shape_times.main([str(seed_build / "graph.nq"), "--top", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    quads, checks = out[0].split(" quads, ")
    assert int(quads.replace(",", "")) > 10_000
    assert int(checks.split()[0]) > 100
    rows = [line for line in out if line.startswith("| ") and not line.startswith("| s ")]
    assert len(rows) == 3 and all(line.count("`") == 2 for line in rows)
