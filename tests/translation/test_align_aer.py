"""bench/align_aer.py: the AER maths, both gold formats, and the whole run on the synthetic model."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "bench" / "data" / "gold-fr-en"


def _bench():
    spec = importlib.util.spec_from_file_location("visavis_align_aer", ROOT / "bench" / "align_aer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_aer_maths():
    bench = _bench()
    sure, possible = {(1, 1), (2, 2)}, {(1, 1), (2, 2), (2, 3)}
    assert bench.aer([{(1, 1), (2, 2)}], [(sure, possible)])["aer"] == 0.0
    assert bench.aer([{(1, 1), (2, 3)}], [(sure, possible)])["aer"] == pytest.approx(1 - 3 / 4)
    assert bench.aer([{(3, 3)}], [(sure, possible)]) == {"aer": 1.0, "precision": 0.0, "recall": 0.0}


def test_both_gold_formats(tmp_path):
    bench = _bench()
    en = tmp_path / "e"
    en.write_text("<s snum=0001> they had gone . </s>\n<s snum=0002> yes . </s>\n", encoding="utf-8")
    ids, sentences = bench.read_sentences(en)
    assert ids == ["1", "2"] and sentences[0] == ["they", "had", "gone", "."]
    naacl = tmp_path / "naacl.wa"
    naacl.write_text("0001 1 1 S\n0001 2 2 P\n0001 3 0 S\n0002 1 1\n", encoding="utf-8")
    per_line = tmp_path / "lines.wa"
    per_line.write_text("1-1 2p2\n1-1\n", encoding="utf-8")
    expected = [({(1, 1)}, {(1, 1), (2, 2)}), ({(1, 1)}, {(1, 1)})]
    assert bench.read_links(naacl, ids) == expected
    assert bench.read_links(per_line, ids) == expected
    with pytest.raises(SystemExit):
        bench.read_links(per_line, ["1"])


def test_gold_samples_on_the_synthetic_model(installed_synthetic_model):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "align_aer.py"), str(GOLD / "samples.en"), str(GOLD / "samples.fr"),
         str(GOLD / "samples.wa"), "--package", str(installed_synthetic_model.path)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line and " " not in line.split(": ")[0])
    assert figures["sentences"] == "3"
    assert 0 <= float(figures["aer"]) <= 100 and 0 <= float(figures["recall"]) <= 100
