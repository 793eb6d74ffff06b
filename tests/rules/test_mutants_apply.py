"""`make mutants` breaks rules by editing named places of the source. When a refactor moves one
of those places, this test fails: update the mutant in bench/mutants.py together with the code,
so that the rule stays under test (a mutant that no longer applies would silently test nothing).
"""

from bench.mutants import MUTANTS, check


def test_every_mutant_still_applies_to_the_source():
    assert check() == []


def test_at_least_forty_named_mutants_and_the_five_of_issue_17():
    names = {m.name for m in MUTANTS}
    assert len(names) >= 40
    assert {
        "complaint-officer-may-close",
        "return-desk-may-approve",
        "on-time-rate-over-received",
        "average-days-in-hours",
        "recovery-rate-of-money-received",
        "escalation-after-12-days",
        "return-window-8-days",
    } <= names


def test_each_mutant_changes_the_code():
    for m in MUTANTS:
        assert m.pattern != m.replacement, m.name
        assert m.tests, m.name
