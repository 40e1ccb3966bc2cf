"""Shared fixtures: the real seed corpus, built once per test session."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_meta() -> dict:
    """Each seed normalized, with its document metadata: ``{"000": (SourceText, DocumentMeta)}``."""
    from policykg.extract.document import extract_meta
    from policykg.extract.normalize import read_document
    from policykg.extract.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        src = read_document(path)
        out[path.name[:3]] = (src, extract_meta(src, gazetteer))
    return out


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """``policykg build`` of the five seeds: the folder holding graph.nq and store/."""
    from policykg.build import build

    out = tmp_path_factory.mktemp("seed-build")
    build(SEEDS, out, progress=lambda _line: None)
    return out


@pytest.fixture(scope="session")
def seed_store(seed_build):
    from policykg.store import open_read_only

    return open_read_only(seed_build / "store")
