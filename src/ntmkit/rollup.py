"""Roll-ups up the administrative hierarchy, and the revocation check.

* :func:`share_recognised` counts the children that hold a *recognition* (a decision with a
  number and a date) of a tier or higher on a date — what the law counts;
* :func:`share_eligible` counts children whose *assessment* meets a set — for what-if
  dashboards; unknown verdicts stay unknown;
* :func:`revocation_check` applies the revocation bands of 18/2022/QĐ-TTg to a recognised
  commune's assessment.

Every count is a :class:`~ntmkit.Share` that says which basis it used; comparisons with
thresholds use exact integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable

import attrs

from ntmkit.errors import InvalidValue
from ntmkit.model.enums import Tier, Verdict
from ntmkit.model.results import Assessment, Share

__all__ = [
    "COMMUNE_KEY_CRITERIA",
    "DISTRICT_KEY_CRITERIA",
    "Recognition",
    "RevocationCheck",
    "district_revocation_check",
    "revocation_check",
    "share_eligible",
    "share_recognised",
]

# Which recognitions give a tier: a higher tier of the same ladder gives the lower ones
# (kiểu mẫu ⊂ nâng cao ⊂ NTM; the 2026–2030 modern pilot ⊂ NTM).
_GIVES = {
    Tier.NTM: frozenset(Tier),
    Tier.ADVANCED: frozenset({Tier.ADVANCED, Tier.MODEL}),
    Tier.MODEL: frozenset({Tier.MODEL}),
    Tier.MODERN: frozenset({Tier.MODERN}),
}

#: Key commune criteria of the revocation rule of 18/2022/QĐ-TTg (by Vietnamese name, as the
#: restatements list them): failing one of them while 30–50 % of the criteria fail leads to
#: revocation.  Sources: thuvienphapluat.vn notice 41861 (04/08/2022), Sở KH&ĐT Quảng Ninh
#: (05/08/2022), Tỉnh ủy Hải Dương (08/08/2022) — three independent restatements (verified).
COMMUNE_KEY_CRITERIA = ("Thu nhập", "Môi trường và an toàn thực phẩm", "Môi trường",
                        "Chất lượng môi trường sống", "Quốc phòng và An ninh")
#: Key district criteria of the same rule (same sources).
DISTRICT_KEY_CRITERIA = ("Kinh tế", "Môi trường", "Chất lượng môi trường sống",
                         "Hệ thống chính trị - An ninh, trật tự - Hành chính công",
                         "An ninh, trật tự - Hành chính công")


@attrs.frozen
class Recognition:
    """A decision recognising a unit at a tier (*quyết định công nhận*), possibly revoked later.

    ``unit`` is the unit's official code; ``edition`` the administrative map it belongs to.
    """

    unit: str
    tier: Tier = attrs.field(converter=Tier)
    decision: str
    date: dt.date
    revoked_on: dt.date | None = None
    edition: str | None = None

    def holds(self, tier: Tier, on: dt.date) -> bool:
        """Whether this recognition gives *tier* (or a higher one) on *on*."""
        return (self.tier in _GIVES[tier] and self.date <= on
                and (self.revoked_on is None or on < self.revoked_on))


def share_recognised(
    recognitions: Iterable[Recognition], children: Iterable[str], tier: Tier | str,
    on: dt.date,
) -> Share:
    """How many of *children* (unit codes) hold a recognition of *tier* or higher on *on*.

    A model (*kiểu mẫu*) commune counts as advanced (*nâng cao*) and as NTM.  A child
    without a recognition is not recognised: the count has no unknowns.

    >>> import datetime as dt
    >>> r = [Recognition("001", "ntm-advanced", "12/QĐ-UBND", dt.date(2023, 5, 1))]
    >>> str(share_recognised(r, ["001", "002"], "ntm", dt.date(2024, 1, 1)))
    '1/2 (recognised)'
    """
    tier = Tier(tier)
    codes = list(dict.fromkeys(children))
    holders = {r.unit for r in recognitions if r.holds(tier, on)}
    return Share(met=sum(c in holders for c in codes), total=len(codes), basis="recognised")


def share_eligible(assessments: Iterable[Assessment]) -> Share:
    """How many children's assessments meet their set (UNKNOWN verdicts are counted apart).

    Pass each child's assessment against the set of the tier being counted (for "at least
    10 % of communes nâng cao": every commune's assessment against the advanced set).
    """
    items = list(assessments)
    return Share(met=sum(a.verdict is Verdict.MET for a in items), total=len(items),
                 unknown=sum(a.verdict is Verdict.UNKNOWN for a in items), basis="computed")


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@attrs.frozen
class RevocationCheck:
    """The outcome of :func:`revocation_check`.

    ``at_risk`` is True (a revocation trigger is met whatever the unknown criteria turn out
    to be), False (no trigger can be met even if every unknown criterion fails), or None
    (it depends on the unknown criteria).  ``failed`` and ``unknown`` list criterion codes;
    ``key_failed`` the failed key criteria; ``trigger`` names the band that applies.
    """

    at_risk: bool | None
    failed: tuple[str, ...]
    unknown: tuple[str, ...]
    total: int
    key_failed: tuple[str, ...]
    trigger: str
    reason: str


def _triggered(failed: int, total: int, key: bool) -> bool:
    # [30 %, 50 %) with a key criterion, or >= 50 %: 100 * failed >= 30 * total, exactly.
    return 100 * failed >= 50 * total or (100 * failed >= 30 * total and key)


def revocation_check(
    assessment: Assessment, key_criteria: Iterable[str] = COMMUNE_KEY_CRITERIA,
    *, criteria: Iterable[str] | None = None,
) -> RevocationCheck:
    """Apply the revocation bands of 18/2022/QĐ-TTg to a recognised unit's assessment.

    A recognition is revoked when 50 % or more of the criteria of the test set are not met,
    or when 30 % to under 50 % are not met and one of them is a key criterion.  The test set
    is the NTM set for NTM communes and the advanced set for advanced and model communes
    (18/2022, as restated): assess against it first.  Criteria the registry does not hold
    count as unknown.  *criteria* restricts the count to some criterion codes (a district
    set also lists its recognition conditions as criteria; only its criteria count here).
    """
    if criteria is not None:
        wanted = list(dict.fromkeys(criteria))
        unknown_codes = [c for c in wanted if c not in assessment.criteria]
        if unknown_codes:
            raise InvalidValue(f"the assessment has no criteria {', '.join(unknown_codes)}")
        chosen = [assessment.criteria[c] for c in wanted]
        n = len(chosen)
    else:
        chosen = list(assessment.criteria.values())
        n = assessment.total
    if n <= 0:
        raise InvalidValue("the assessment has no criteria to count")
    keys = {_norm(k) for k in key_criteria}
    criteria_results = chosen
    failed = tuple(c.code for c in criteria_results if c.verdict is Verdict.NOT_MET)
    unknown = tuple(c.code for c in criteria_results if c.verdict is Verdict.UNKNOWN)
    missing = max(0, n - len(criteria_results))
    key_failed = tuple(c.code for c in criteria_results
                       if c.verdict is Verdict.NOT_MET and _norm(c.name_vi) in keys)
    key_unknown = any(c.verdict is Verdict.UNKNOWN and _norm(c.name_vi) in keys
                      for c in criteria_results) or missing > 0
    best = _triggered(len(failed), n, bool(key_failed))
    worst = _triggered(len(failed) + len(unknown) + missing, n, bool(key_failed) or key_unknown)
    share = f"{len(failed)}/{n} criteria not met"
    if best:
        trigger = "≥ 50 %" if 100 * len(failed) >= 50 * n else "30–50 % with a key criterion"
        return RevocationCheck(True, failed, unknown, n, key_failed, trigger,
                               f"{share}: revocation band {trigger}")
    if not worst:
        return RevocationCheck(False, failed, unknown, n, key_failed, "",
                               f"{share}; no band reachable even if the "
                               f"{len(unknown) + missing} unknown criteria fail")
    return RevocationCheck(None, failed, unknown, n, key_failed, "",
                           f"{share}; {len(unknown) + missing} criteria unknown decide it")


def district_revocation_check(
    assessment: Assessment, revoked_communes: Share,
    *, criteria: Iterable[str] | None = None,
) -> RevocationCheck:
    """Apply the district revocation rule of 18/2022/QĐ-TTg.

    A district's recognition is revoked when 30 % or more of its communes have had their NTM
    recognition revoked (*revoked_communes*, compared exactly), or by the same bands as a
    commune on its own criteria with the district key criteria (economy; environment;
    quality of the living environment; political system, security and order, public
    administration).  *criteria* names the district criteria to count (``HC.1`` … ``HC.9``
    in the shipped ``district/ntm`` set, whose conditions H.1–H.4 are not criteria of the
    rule).
    """
    own = revocation_check(assessment, DISTRICT_KEY_CRITERIA, criteria=criteria)
    if revoked_communes.total and 100 * revoked_communes.met >= 30 * revoked_communes.total:
        return attrs.evolve(own, at_risk=True, trigger="≥ 30 % of communes revoked",
                            reason=f"{revoked_communes} communes' recognitions revoked; "
                                   f"{own.reason}")
    if own.at_risk is False and revoked_communes.unknown and 100 * (
            revoked_communes.met + revoked_communes.unknown) >= 30 * revoked_communes.total:
        return attrs.evolve(own, at_risk=None,
                            reason=f"{own.reason}; the revoked-commune share depends on "
                                   f"{revoked_communes.unknown} unknown communes")
    return own
