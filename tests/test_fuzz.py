"""The layout fuzzer's CI part: random valid issues (``tests/fuzz/strategies.py``), built through
the CLI, and the invariants of ``tests/fuzz/invariants.py`` read from each PDF.

Deterministic: a fixed seed, no example database, a bounded number of examples. For
thousands of issues with fresh seeds, and the shrunk failing issues saved, run ``bench/fuzz``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, note, seed, settings

from .fuzz.invariants import check_issue
from .fuzz.strategies import GeneratedIssue, issues

EXAMPLES = 30  # 3 to 4 s an issue on this 2-core machine: about two minutes


@seed(20240301)
# No shrinking here, so that a failing run stays as short as a passing one: the failing issue's
# YAML is printed, and bench/fuzz shrinks.
@settings(max_examples=EXAMPLES, database=None, deadline=None, print_blob=True,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example))
@given(issues())
def test_random_valid_issues_build_and_keep_the_layout_invariants(generated: GeneratedIssue):
    note(f"the issue:\n{generated.yaml()}")
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        issue = generated.write(Path(folder) / "issue")
        check_issue(issue, Path(folder) / "out.pdf")


def test_the_oracle_reads_an_opening_across_a_page_turn_and_still_sees_a_loss():
    from .fuzz.invariants import _across_a_page_turn

    pages = ["heading text the opening wor", "ds go on here, then more"]
    assert _across_a_page_turn("theopeningwordsgoon", [p.replace(" ", "") for p in pages])
    assert not _across_a_page_turn("theopeningwordsgoaway", [p.replace(" ", "") for p in pages])
    assert not _across_a_page_turn("xheopeningwordsgoon", [p.replace(" ", "") for p in pages])  # its start lost
