from __future__ import annotations

import attrs
import pytest

import ntmkit
from ntmkit import Condition, Confidence, Region, Rule, RuleKind, Threshold
from ntmkit.model import Context
from ntmkit.model.results import combine


def test_commune_needs_code_and_name() -> None:
    with pytest.raises(ValueError, match="code"):
        ntmkit.Commune(code=" ", name="X")


def test_commune_rejects_unknown_edition_and_class() -> None:
    with pytest.raises(ValueError, match="edition"):
        ntmkit.Commune(code="1", name="X", edition="2030")
    with pytest.raises(ValueError):
        ntmkit.Commune(code="1", name="X", classes=["very_poor"])


def test_models_are_frozen(red_river) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        red_river.name = "other"  # type: ignore[misc]


def test_known_threshold_needs_a_value_and_unknown_cannot_have_one() -> None:
    with pytest.raises(ValueError, match="no value"):
        Rule(kind=RuleKind.AT_LEAST, thresholds=(Threshold(confidence=Confidence.VERIFIED),))
    with pytest.raises(ValueError, match="left out"):
        Rule(kind=RuleKind.AT_LEAST,
             thresholds=(Threshold(value=5.0, confidence=Confidence.UNCERTAIN),))


def test_two_thresholds_with_the_same_condition_are_rejected() -> None:
    t = Threshold(value=1.0, confidence=Confidence.VERIFIED)
    with pytest.raises(ValueError, match="share the condition"):
        Rule(kind=RuleKind.AT_LEAST, thresholds=(t, t))


def test_most_specific_threshold_wins() -> None:
    general = Threshold(value=10.0, confidence=Confidence.VERIFIED)
    regional = Threshold(when=Condition(region=Region.SOUTHEAST), value=20.0,
                         confidence=Confidence.VERIFIED)
    rule = Rule(kind=RuleKind.AT_LEAST, thresholds=(general, regional))
    assert rule.candidates(Context(Region.SOUTHEAST)) == [regional]
    assert rule.candidates(Context(Region.MEKONG_DELTA)) == [general]


@pytest.mark.parametrize(
    ("parts", "complete", "expected"),
    [
        (["met", "met"], True, "met"),
        (["met", "unknown"], True, "unknown"),
        (["unknown", "not_met"], True, "not_met"),
        (["met", "met"], False, "unknown"),
        (["not_met"], False, "not_met"),
        (["not_applicable", "not_applicable"], True, "not_applicable"),
        (["met", "not_applicable"], True, "met"),
        ([], True, "unknown"),
    ],
)
def test_combine(parts, complete, expected) -> None:
    verdicts = [ntmkit.Verdict(p) for p in parts]
    assert combine(verdicts, complete=complete).value == expected
