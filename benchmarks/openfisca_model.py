"""The commune NTM criteria written as an OpenFisca model, for the benchmark only.

The model is generated from an ntmkit criteria set: one input variable per indicator, one
parameter per indicator and region (dated by year for the income table), one formula per
indicator verdict and per criterion verdict, and the count of criteria met.  Verdicts are
coded as in :mod:`ntmkit.batch` (0 not met, 1 unknown, 3 met).  Unknown thresholds and
missing inputs are NaN.  Region substitution is left out (the synthetic benchmark data has
no commune whose substitution changes its column).

Two versions of the model:

* ``build_system`` / ``simulate``: written as OpenFisca models usually are: each formula
  reads its parameter through the vectorial parameter node (``parameters(period)[name]
  [regions]``) and the region input is an array of enum members.
* ``build_system(cs, tuned=True)`` / ``simulate_tuned``: hand-tuned: each indicator's
  thresholds are read once per period into a numpy table by region and gathered by the
  region codes (``table[codes]``), criteria are reduced with ``min``/``max`` over int8
  verdicts, and the region input is encoded from pandas' codes without a Python loop.
  This is the fastest way found to write the criteria in OpenFisca.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import ENUM_ARRAY_DTYPE, Enum, EnumArray
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import Simulation, SimulationBuilder
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


def build_system(cs: ntmkit.CriteriaSet, tuned: bool = False) -> TaxBenefitSystem:
    """An OpenFisca tax-benefit system computing the verdicts of *cs* (hand-tuned: *tuned*)."""
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
            "formula": (_tuned_indicator_formula if tuned else _indicator_formula)(code, ind)}))
    for criterion in cs.criteria.values():
        system.add_variable(type("c_" + criterion.code, (Variable,), {
            "value_type": int, "entity": CommuneEntity, "definition_period": DateUnit.YEAR,
            "formula": (_tuned_criterion_formula if tuned else _criterion_formula)(criterion)}))
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


_REGION_NAMES = [r.name for r in ntmkit.Region]
_REGION_VALUES = [r.value for r in ntmkit.Region]


def _tuned_indicator_formula(code: str, ind: Any) -> Any:
    name = _name(code)
    kind = ind.rule.kind
    if kind is ntmkit.RuleKind.ACHIEVED:
        known = all(t.confidence.has_value for t in ind.rule.thresholds)

        def achieved(commune: Any, period: Any) -> Any:
            value = commune(name, period)
            if not known:
                return np.ones(len(value), dtype=np.int8)
            out = (value == 1.0).astype(np.int8) * np.int8(3)
            out[np.isnan(value)] = 1
            return out

        return achieved
    tables: dict[Any, Any] = {}

    def compare(commune: Any, period: Any, parameters: Any) -> Any:
        value = commune(name, period)
        table = tables.get(period)
        if table is None:  # once per period: the thresholds by region code
            node = parameters(period)[name]
            table = tables[period] = np.array([node[r] for r in _REGION_NAMES], dtype=float)
        threshold = table[commune("region", period).view(np.ndarray)]
        ok = value >= threshold if kind is ntmkit.RuleKind.AT_LEAST else value <= threshold
        out = ok.astype(np.int8) * np.int8(3)
        out[np.isnan(value) | np.isnan(threshold)] = 1
        return out

    return compare


def _tuned_criterion_formula(criterion: Any) -> Any:
    names = ["v_" + _name(i.code) for i in criterion.indicators]
    complete = criterion.indicators_complete

    def combine(commune: Any, period: Any) -> Any:
        if not names:
            return np.ones(commune.count, dtype=np.int8)
        low = commune(names[0], period)
        high = low
        for n in names[1:]:
            part = commune(n, period)
            low, high = np.minimum(low, part), np.maximum(high, part)
        if not complete:
            return np.minimum(low, 1)
        return np.where(low >= 2, high, low)

    return combine


def simulate_tuned(system: TaxBenefitSystem, frame: Any, year: int) -> Any:
    """:func:`simulate` for the hand-tuned system: inputs encoded without a Python loop."""
    import pandas as pd

    populations = system.instantiate_entities()
    communes = populations["commune"]
    communes.ids = np.arange(len(frame))
    communes.count = len(frame)
    simulation = Simulation(system, populations)
    period = str(year)
    codes, uniques = pd.factorize(frame["region"])
    lookup = np.array([_REGION_VALUES.index(str(u)) for u in uniques], dtype=ENUM_ARRAY_DTYPE)
    simulation.set_input("region", period, EnumArray(lookup[codes], RegionEnum))
    for code in frame.columns:
        if code in ("region", "year", "classes", "code", "name", "synthetic"):
            continue
        column = frame[code]
        if column.dtype == object:  # yes/no with empty cells: True, False, None
            cells = column.to_numpy()
            yes = cells == True  # noqa: E712
            values = yes.astype(float)
            values[~(yes | (cells == False))] = np.nan  # noqa: E712
        else:
            values = column.to_numpy(dtype=float, na_value=np.nan)
        simulation.set_input(_name(code), period, values)
    return simulation.calculate("met_count", period)
