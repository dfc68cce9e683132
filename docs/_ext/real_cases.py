"""Published communes as test cases, and how many of their verdicts the registry decides.

Each file under ``tests/real_cases/`` is one commune as its provincial news, portal or
appraisal report printed it: the tier it claimed, whether it was recognised, and the values
the page states, each with the page, publisher, date and a verbatim quote (see the README
in that folder).  This module reads those files, assesses each commune against the criteria
set in force for its year, and counts how many of the verdicts its values call for the
registry decides (MET or NOT_MET rather than UNKNOWN).  The docs' coverage page prints that
share when the docs are built; the test suite checks the cases themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ntmkit
from ntmkit import i18n
from ntmkit.i18n import Lang

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CASES_DIR = Path(__file__).resolve().parents[2] / "tests" / "real_cases"

#: The tier a case claims → the national set that judges it.
SET_OF_TIER = {
    "ntm": "commune/ntm",
    "ntm-advanced": "commune/ntm-advanced",
    "ntm-model": "commune/ntm-model",
}
#: Outcomes in which the commune was judged to meet the tier (recognised by the province,
#: recommended by its appraisal council, or put forward by its district after checking).
POSITIVE = ("recognised", "recommended", "proposed")
#: Outcomes in which it was not (refused at appraisal, or registered and not reached).
NEGATIVE = ("refused", "not_reached")
BOUNDS = ("lower", "upper")
DECLARED = "criterion:"
POLICIES = ("published", "provisional")


@dataclass(frozen=True)
class Source:
    """A page: its address, who published it and when (as the page dates itself)."""

    page: str
    publisher: str
    date: str


@dataclass(frozen=True)
class Observation:
    """One value the page states, keyed in the case by an ntmkit indicator code.

    ``bound`` is ``"lower"`` when the page says *more than* (*trên*, *hơn*) and ``"upper"``
    when it says *less than* (*dưới*); a value is a declared criterion verdict when its key
    is ``criterion:<code>``.
    """

    code: str
    value: float | bool | str
    source: str
    quote: str
    unit: str | None = None
    bound: str | None = None
    year: int | None = None

    @property
    def declared(self) -> bool:
        """True for a declared criterion verdict (``criterion:<code>``)."""
        return self.code.startswith(DECLARED)


@dataclass(frozen=True)
class Disagreement:
    """A documented reason why a commune that reached its tier is NOT_MET on an indicator."""

    code: str
    set_id: str
    threshold: float | None
    reason: str


@dataclass(frozen=True)
class Case:
    """One published commune."""

    name: str
    commune: str
    province: str
    region: str
    year: int
    tier: str
    status: str
    outcome_source: str
    outcome_quote: str
    district: str | None = None
    decision: str | None = None
    decided_on: dt.date | None = None
    sources: Mapping[str, Source] = field(default_factory=dict)
    observed: Mapping[str, Observation] = field(default_factory=dict)
    exceptions: tuple[Disagreement, ...] = ()

    @property
    def set_id(self) -> str:
        """The national set that judges the tier the commune claimed."""
        return SET_OF_TIER[self.tier]

    @property
    def reached(self) -> bool:
        """True when the page says the commune met its tier."""
        return self.status in POSITIVE


class CaseFileError(ValueError):
    """A case file that does not have the shape this module reads."""


def _need(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table or table[key] in ("", None):
        raise CaseFileError(f"{where}: missing {key!r}")
    return table[key]


def load_case(path: Path) -> Case:
    """Read one case file; raise :class:`CaseFileError` naming the file and key if it is bad."""
    where = path.name
    with path.open("rb") as f:
        data = tomllib.load(f)
    sources = {}
    for key, src in _need(data, "sources", where).items():
        at = f"{where} [sources.{key}]"
        sources[key] = Source(page=_need(src, "page", at), publisher=_need(src, "publisher", at),
                              date=str(_need(src, "date", at)))
    outcome = _need(data, "outcome", where)
    observed = {}
    for code, obs in data.get("observed", {}).items():
        at = f"{where} [observed.{code!r}]"
        observed[code] = Observation(
            code=code, value=_need(obs, "value", at),
            source=_need(obs, "source", at), quote=_need(obs, "quote", at),
            unit=obs.get("unit"), bound=obs.get("bound"), year=obs.get("year"))
    exceptions = tuple(
        Disagreement(code=_need(e, "code", f"{where} [[exceptions]]"),
                   set_id=_need(e, "set", f"{where} [[exceptions]]"),
                   threshold=e.get("threshold"),
                   reason=_need(e, "reason", f"{where} [[exceptions]]"))
        for e in data.get("exceptions", []))
    return Case(
        name=path.stem, commune=_need(data, "commune", where),
        province=_need(data, "province", where), region=_need(data, "region", where),
        year=_need(data, "year", where), tier=_need(data, "tier", where),
        status=_need(outcome, "status", f"{where} [outcome]"),
        outcome_source=_need(outcome, "source", f"{where} [outcome]"),
        outcome_quote=_need(outcome, "quote", f"{where} [outcome]"),
        district=data.get("district"), decision=outcome.get("decision"),
        decided_on=outcome.get("decided_on"), sources=sources, observed=observed,
        exceptions=exceptions)


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    """Every case file in *folder* (none when the folder is absent, e.g. in an sdist)."""
    return [load_case(p) for p in sorted(folder.glob("*.toml"))] if folder.is_dir() else []


def criteria_set(case: Case) -> ntmkit.CriteriaSet:
    """The version of the case's set in force in the case's year."""
    return ntmkit.registry.get(case.set_id, on=dt.date(case.year, 12, 31))


def commune(case: Case) -> ntmkit.Commune:
    """The case as an :class:`ntmkit.Commune` (the code is the case's file name)."""
    return ntmkit.Commune(code=f"case:{case.name}", name=case.commune, region=case.region,
                          province=case.province, district=case.district)


def provisional_supported() -> bool:
    """True when :func:`ntmkit.assess` takes ``thresholds=``."""
    return "thresholds" in inspect.signature(ntmkit.assess).parameters


@functools.cache
def declared_supported() -> bool:
    """True when :func:`ntmkit.assess` accepts declared verdicts (``criterion:<code>``)."""
    cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    probe = ntmkit.Commune(code="probe", name="probe", region="red_river_delta")
    try:
        ntmkit.assess(probe, {"criterion:3": "Đạt"}, cs, year=2022)
    except ntmkit.NtmkitError:
        return False
    return True


def observations(case: Case, *, declared: bool | None = None) -> dict[str, Any]:
    """The case's values as ``assess`` observations.

    Declared verdicts are included when *declared* is true (default: when ntmkit accepts
    them).  A bounded value is given as its bound: for an at-least rule a lower bound that
    reaches the threshold is a sound MET.
    """
    if declared is None:
        declared = declared_supported()
    return {code: obs.value for code, obs in case.observed.items()
            if declared or not obs.declared}


def assess_case(case: Case, thresholds: str = "published") -> ntmkit.Assessment:
    """Assess *case* against its set under the *thresholds* policy."""
    kwargs: dict[str, Any] = {}
    if thresholds != "published":
        if not provisional_supported():
            raise ValueError(f"this ntmkit has no thresholds={thresholds!r}")
        kwargs["thresholds"] = thresholds
    return ntmkit.assess(commune(case), observations(case), criteria_set(case),
                         year=case.year, **kwargs)


def chain(assessment: ntmkit.Assessment) -> Iterator[ntmkit.Assessment]:
    """The assessment and, depth first, every set it requires."""
    yield assessment
    for pre in assessment.prerequisites:
        yield from chain(pre)


@dataclass(frozen=True)
class Verdicts:
    """The verdicts a case's values call for: indicators given a value, and the criteria
    holding them (criteria given a declared verdict are counted apart, in ``declared``)."""

    decided: int
    total: int
    declared: int

    @property
    def share(self) -> float:
        """decided / total (0 when there is nothing to decide)."""
        return self.decided / self.total if self.total else 0.0

    def __add__(self, other: Verdicts) -> Verdicts:
        return Verdicts(self.decided + other.decided, self.total + other.total,
                        self.declared + other.declared)


DECIDED = (ntmkit.Verdict.MET, ntmkit.Verdict.NOT_MET)


def count_verdicts(case: Case, assessment: ntmkit.Assessment) -> Verdicts:
    """Count the verdicts of *assessment* that the case's values call for."""
    given = {c for c, o in case.observed.items() if not o.declared}
    declared = {c[len(DECLARED):] for c, o in case.observed.items() if o.declared}
    decided = total = 0
    for a in chain(assessment):
        for pillar in a.pillars:
            for crit in pillar.criteria:
                observed_here = [i for i in crit.indicators if i.code in given]
                for ind in observed_here:
                    total += 1
                    decided += ind.verdict in DECIDED
                if observed_here and crit.code not in declared:
                    total += 1
                    decided += crit.verdict in DECIDED
    return Verdicts(decided, total, len(declared))


def decided_share(cases: list[Case], thresholds: str = "published") -> Verdicts:
    """Over all *cases*, how many of the verdicts their values call for are decided."""
    result = Verdicts(0, 0, 0)
    for case in cases:
        result += count_verdicts(case, assess_case(case, thresholds))
    return result


def coverage_section(cases: list[Case] | None = None,
                     langs: tuple[Lang, ...] = ("vi", "en")) -> str:
    """The Markdown section "Real communes: how many verdicts are decided".

    Vietnamese first, English beside it (as the rest of the catalogue), from the catalogue
    section ``catalogue`` of :mod:`ntmkit.i18n`.
    """
    def say(key: str, **fields: Any) -> str:
        texts = [i18n.text(f"catalogue.{key}", lang, **fields) for lang in langs]
        return " · ".join([texts[0], *(f"*{t}*" for t in texts[1:] if t != texts[0])])

    def named(texts: list[str]) -> str:
        return " · ".join([texts[0], *(f"*{t}*" for t in texts[1:] if t != texts[0])])

    cases = load_cases() if cases is None else cases
    lines = [f"## {say('cases.title')}", ""]
    if not cases:
        return "\n".join([*lines, say("cases.none"), ""])
    policies = [p for p in POLICIES if p == "published" or provisional_supported()]
    shares = {p: decided_share(cases, p) for p in policies}
    published = shares["published"]
    heads = [say(f"cases.column.{k}") for k in ("thresholds", "decided", "verdicts", "share")]
    lines += [say("cases.intro", count=len(cases), declared=published.declared), "",
              "| " + " | ".join(heads) + " |", "|---|---:|---:|---:|"]
    for policy, v in shares.items():
        lines.append(f"| {say(f'cases.policy.{policy}')} | {v.decided} | {v.total} | "
                     f"{v.share:.0%} |".replace("%", " %"))
    if "provisional" not in shares:
        lines += ["", say("cases.no_provisional")]
    heads = [say(f"cases.column.{k}")
             for k in ("commune", "province", "year", "tier", "outcome", "decided")]
    lines += ["", "| " + " | ".join(heads) + " |", "|---|---|---:|---|---|---:|"]
    for case in cases:
        v = count_verdicts(case, assess_case(case))
        tier = named([i18n.text(f"common.tier.{case.tier}", lang)
                      for lang in langs])
        lines.append(f"| {case.commune} | {case.province} | {case.year} | {tier} | "
                     f"{say(f'cases.status.{case.status}')} | {v.decided}/{v.total} |")
    return "\n".join(lines) + "\n"
