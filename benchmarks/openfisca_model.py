"""The commune NTM criteria written as an OpenFisca model, for the benchmark only.

The model is generated from an ntmkit criteria set: one input variable per indicator, one
parameter per indicator and region (dated by year for the income table), one formula per
indicator verdict and per criterion verdict, and the count of criteria met.  Verdicts are
coded as in :mod:`ntmkit.batch` (0 not met, 1 unknown, 3 met).  Unknown thresholds and
missing inputs are NaN.  Region substitution is left out (the synthetic benchmark data has
no commune whose substitution changes its column).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

import ntmkit
from ntmkit.model import Context

CommuneEntity = build_entity(key="commune", plural="communes", label="Commune", is_person=True)
RegionEnum = Enum("RegionEnum", [(r.name, r.value) for r in ntmkit.Region])  # type: ignore[misc]


def _name(code: str) -> str:
    return "i_" + code.replace(".", "_")


def _parameters(cs: ntmkit.CriteriaSet) -> dict[str, Any]:
    years = list(range(cs.years[0], cs.years[1] + 1)) if cs.years else [2022]
    data: dict[str, Any] = {}
    for code, ind in cs.indicators.items():
        if not ind.numeric:
            continue
        node: dict[str, Any] = {}
        for region in ntmkit.Region:
            values = {}
            for year in years:
                (t,) = ind.rule.candidates(Context(region, year if ind.year_dependent else None))
                value = t.value if t.confidence.has_value and t.value is not None else math.nan
                values[f"{year}-01-01"] = {"value": value}
            node[region.name] = {"values": values}
        data[_name(code)] = node
    return data


def build_system(cs: ntmkit.CriteriaSet) -> TaxBenefitSystem:
    """An OpenFisca tax-benefit system computing the verdicts of *cs*."""
    system = TaxBenefitSystem([CommuneEntity])
    system.parameters = ParameterNode("", data=_parameters(cs))

    class region(Variable):
        value_type = Enum
        possible_values = RegionEnum
        default_value = RegionEnum.RED_RIVER_DELTA
        entity = CommuneEntity
        definition_period = DateUnit.YEAR

    system.add_variable(region)
    for code, ind in cs.indicators.items():
        name = _name(code)
        system.add_variable(type(name, (Variable,), {
            "value_type": float, "default_value": math.nan, "entity": CommuneEntity,
            "definition_period": DateUnit.YEAR}))
        system.add_variable(type("v_" + name, (Variable,), {
            "value_type": int, "entity": CommuneEntity, "definition_period": DateUnit.YEAR,
            "formula": _indicator_formula(code, ind)}))
    for criterion in cs.criteria.values():
        system.add_variable(type("c_" + criterion.code, (Variable,), {
            "value_type": int, "entity": CommuneEntity, "definition_period": DateUnit.YEAR,
            "formula": _criterion_formula(criterion)}))
    codes = list(cs.criteria)

    def met_count(commune: Any, period: Any) -> Any:
        return sum((commune("c_" + c, period) == 3).astype(int) for c in codes)

    system.add_variable(type("met_count", (Variable,), {
        "value_type": int, "entity": CommuneEntity, "definition_period": DateUnit.YEAR,
        "formula": met_count}))
    return system


def _indicator_formula(code: str, ind: Any) -> Any:
    name = _name(code)
    kind = ind.rule.kind
    if kind is ntmkit.RuleKind.ACHIEVED:
        known = all(t.confidence.has_value for t in ind.rule.thresholds)

        def achieved(commune: Any, period: Any) -> Any:
            value = commune(name, period)
            out = np.where(value == 1.0, 3, 0)
            return np.where(np.isnan(value) | (not known), 1, out)

        return achieved

    def compare(commune: Any, period: Any, parameters: Any) -> Any:
        value = commune(name, period)
        regions = commune("region", period)
        threshold = parameters(period)[name][regions]
        ok = value >= threshold if kind is ntmkit.RuleKind.AT_LEAST else value <= threshold
        out = np.where(ok, 3, 0)
        return np.where(np.isnan(value) | np.isnan(threshold), 1, out)

    return compare


def _criterion_formula(criterion: Any) -> Any:
    names = ["v_" + _name(i.code) for i in criterion.indicators]
    complete = criterion.indicators_complete

    def combine(commune: Any, period: Any) -> Any:
        if not names:
            return np.ones(commune.count, dtype=int)
        parts = np.vstack([commune(n, period) for n in names])
        out = np.full(parts.shape[1], 3)
        out[((parts == 1).any(axis=0)) | (not complete)] = 1
        out[(parts == 0).any(axis=0)] = 0
        return out

    return combine


def simulate(system: TaxBenefitSystem, frame: Any, year: int) -> Any:
    """Run the model on a frame (same columns as for ntmkit.assess_frame); return met counts."""
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("commune", [str(i) for i in range(len(frame))])
    simulation = builder.build(system)
    period = str(year)
    simulation.set_input("region", period,
                         np.array([RegionEnum[ntmkit.Region(r).name] for r in frame["region"]]))
    for code in frame.columns:
        if code in ("region", "year", "classes", "code", "name", "synthetic"):
            continue
        values = frame[code].to_numpy(dtype=float, na_value=np.nan)
        simulation.set_input(_name(code), period, values)
    return simulation.calculate("met_count", period)
