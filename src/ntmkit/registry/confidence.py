"""The confidence levels as rules a set can be checked against.

Each :class:`~ntmkit.Confidence` level says what its sources must be (see *Confidence levels*
in the registry-format docs).  :func:`check_confidence` checks what can be checked from the
data alone, for every threshold and region substitution of a set:

- ``verified``: cites a source marked ``kind = "legal_text"`` (the act's own text), or at least
  two sources whose publishers differ;
- ``restated``: cites at least one source;
- ``guidance``: names the guidance act and its date in ``legal_ref``, dated within the period
  the set version was in force (from ``effective``, before ``superseded_on``), and cites a
  source;
- ``inferred``: cites a source, keeps the placed value as ``candidate`` and says in ``note``
  how it was placed;
- ``carried_forward``: only in a version derived from an earlier one.

In a national set a ``provincial`` source (a province's own text or application) never counts
towards ``verified`` or ``restated``: it states a provincial value, not the national column.
Whether a source states the value *for this exact context* cannot be read from the data; the
note of each value says so where it matters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ntmkit.model.criteria import CriteriaSet, Source, Threshold
from ntmkit.model.enums import Confidence, SourceKind

__all__ = ["check_confidence", "is_provincial_set", "same_publisher"]

_PARENTHESES = re.compile(r"\([^)]*\)")


def is_provincial_set(cs: CriteriaSet) -> bool:
    """Whether *cs* is a province's own set (``province/<slug>/…``), not a national one.

    >>> from ntmkit import registry
    >>> is_provincial_set(registry.get("province/ntm-completed@2022-03-08"))
    False
    """
    return cs.id.startswith("province/") and cs.id.count("/") >= 2


def _publisher_key(publisher: str) -> str:
    text = _PARENTHESES.sub(" ", publisher.casefold())
    text = text.replace("mirror of", " ")
    return " ".join(text.split())


def same_publisher(a: str, b: str) -> bool:
    """Whether two publisher names name the same publisher (case and remarks ignored).

    >>> same_publisher("Thư viện Pháp luật", "Thư Viện Pháp Luật (thông báo văn bản mới)")
    True
    """
    return _publisher_key(a) == _publisher_key(b)


def _counting(cs: CriteriaSet, ids: Sequence[str], national: bool) -> list[Source]:
    found = cs.source_map
    out = [found[s] for s in ids if s in found]
    return [s for s in out if not (national and s.kind is SourceKind.PROVINCIAL)]


def _check(cs: CriteriaSet, where: str, confidence: Confidence, ids: Sequence[str],
           t: Threshold | None, national: bool) -> list[str]:
    problems: list[str] = []
    sources = _counting(cs, ids, national)
    level = confidence.value
    if confidence is Confidence.VERIFIED:
        publishers = {_publisher_key(s.publisher) for s in sources if s.publisher.strip()}
        if not any(s.kind is SourceKind.LEGAL_TEXT for s in sources) and len(publishers) < 2:
            problems.append(f"{where}: {level} needs the act's own text (a source of kind "
                            "legal_text) or two sources of different publishers; it cites "
                            f"{len(publishers)} publisher(s)"
                            + (" that count (provincial sources do not)" if national else ""))
    elif confidence is Confidence.RESTATED:
        if not sources:
            problems.append(f"{where}: {level} needs a source stating the value"
                            + (" (a provincial source states a provincial value: use "
                               "inferred)" if national and ids else ""))
    elif confidence is Confidence.GUIDANCE:
        ref = t.legal_ref if t is not None else None
        if ref is None or ref.date is None:
            problems.append(f"{where}: {level} needs legal_ref naming the guidance act and "
                            "its date")
        elif ref.date < cs.effective or (cs.superseded_on is not None
                                         and ref.date >= cs.superseded_on):
            end = cs.superseded_on.isoformat() if cs.superseded_on else "now"
            problems.append(f"{where}: guidance act {ref.act} of {ref.date} lies outside the "
                            f"period of {cs.key} ({cs.effective} to {end}); it belongs to the "
                            "version in force on its date")
        if not ids:
            problems.append(f"{where}: {level} needs a source")
    elif confidence is Confidence.INFERRED:
        if not ids:
            problems.append(f"{where}: {level} needs the source(s) it was reasoned from")
        if t is not None and not t.note.strip():
            problems.append(f"{where}: {level} needs a note saying how the value was placed")
        if t is not None and t.applies and t.relative_to is None and t.value is None \
                and not t.candidate:
            problems.append(f"{where}: {level} keeps the placed value as candidate")
    elif confidence is Confidence.CARRIED_FORWARD and cs.derived_from is None:
        problems.append(f"{where}: {level} only in a version derived from an earlier one")
    return problems


def check_confidence(cs: CriteriaSet) -> list[str]:
    """The places where *cs* breaks a confidence rule (empty when it keeps them all).

    >>> from ntmkit import registry
    >>> check_confidence(registry.get("commune/ntm@2022-03-08"))
    []
    """
    national = not is_provincial_set(cs)
    problems: list[str] = []
    for ind in cs.indicators.values():
        for t in ind.rule.thresholds:
            where = f"{cs.key} indicator {ind.code} ({t.when.describe()})"
            problems.extend(_check(cs, where, t.confidence, t.sources, t, national))
    for i, sub in enumerate(cs.region_substitutions):
        problems.extend(_check(cs, f"{cs.key} region_substitutions[{i}]", sub.confidence,
                               sub.sources, None, national))
    for s in cs.sources:
        if not s.publisher.strip():
            problems.append(f"{cs.key} source {s.id}: publisher is missing")
    return problems
