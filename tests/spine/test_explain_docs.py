"""``readiness explain``, the probes' documented examples, and the generated docs' drift."""

from __future__ import annotations

import subprocess
import sys

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.assemble.probe_docs import probe_examples
from pipeline.probes.engine import registered_probes, run_probes
from tests.probes.test_security import KEY
from tests.spine.cli_helpers import ROOT, run_cli

# The examples keep no real-looking secret (scanners and our own SEC001 would flag the file).
SECRET_PLACEHOLDER = "<a GitHub token>"


def test_explain_says_what_why_how_and_shows_an_example(tmp_path):
    result = run_cli("explain", "err002", cache=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("ERR002: Exceptions are silently swallowed\n")
    for heading in ("What it checks:", "Why it matters:", "How to fix it:", "Example: it fails"):
        assert heading in text
    # The failing line is marked in the example.
    marked = [line for line in text.splitlines() if line.lstrip().startswith(">")]
    assert len(marked) == 1 and "except" in marked[0], text
    assert "probes.html#err002" in text


def test_explain_without_an_id_lists_every_probe_and_a_wrong_id_is_exit_2(tmp_path):
    listing = run_cli("explain", cache=tmp_path)
    assert listing.returncode == 0
    assert len(listing.stdout.splitlines()) == len(registered_probes())
    wrong = run_cli("explain", "ERR02", cache=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("error: no probe 'ERR02'; did you mean ERR0")
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_every_example_fails_and_passes_as_documented(tmp_path):
    """The examples `explain` and docs/probes.md show are run through the engine."""
    examples = probe_examples()
    assert examples, "no examples shipped"
    for number, (probe_id, example) in enumerate(sorted(examples.items())):
        for outcome, case in (("fail", example.get("fails")), ("pass", example.get("passes"))):
            if case is None:
                continue
            root = tmp_path / f"{number}-{outcome}"
            files = {p: t.replace(SECRET_PLACEHOLDER, KEY) for p, t in case["files"].items()}
            write_files(root, files)
            [check] = [
                c for c in run_probes(probe_snapshot(root), select=[probe_id]).checks
                if c.id == probe_id
            ]  # fmt: skip
            assert check.outcome.value == outcome, (probe_id, check.message)
            if outcome == "fail":
                assert check.evidence[0].location == case["at"], (probe_id, check.evidence)


def test_every_probe_has_a_documented_example():
    missing = sorted({p.id for p in registered_probes()} - set(probe_examples()))
    assert not missing, f"add a failing example to pipeline/probe_examples.json: {missing}"


def test_generated_docs_match_the_registry_and_the_real_help():
    """docs/probes.md and docs/cli.md are what the generator makes now (make test checks)."""
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.devtools.docs", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


def test_the_drift_check_fails_on_a_stale_document(tmp_path, monkeypatch):
    from pipeline.devtools import docs

    monkeypatch.setattr(docs, "generated", lambda folder: {tmp_path / "probes.md": "new\n"})
    (tmp_path / "probes.md").write_text("old\n")
    assert docs.main(["--check"]) == 1
    assert (tmp_path / "probes.md").read_text() == "old\n"
    assert docs.main([]) == 0 and (tmp_path / "probes.md").read_text() == "new\n"
