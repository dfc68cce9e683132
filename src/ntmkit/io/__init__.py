"""Reading and writing: one cattrs converter for every type, and observation files.

* :func:`unstructure` / :func:`structure` turn any public ntmkit object into JSON-compatible
  data and back (``structure(unstructure(x), type(x)) == x``);
* :func:`read_observations` reads a CSV or JSON file of communes and their indicator values,
  checking every cell against a criteria set before anything is scored.

cattrs is imported the first time this module is used, never at ``import ntmkit``.
"""

from ntmkit.io.convert import from_json, get_converter, structure, to_json, unstructure
from ntmkit.io.observations import (
    OBSERVATIONS_FORMAT,
    ObservationRecord,
    observable_indicators,
    observations_json_schema,
    parse_achieved,
    parse_number,
    peek_years,
    read_observations,
    records_from_json,
)

__all__ = [
    "OBSERVATIONS_FORMAT",
    "ObservationRecord",
    "from_json",
    "get_converter",
    "observable_indicators",
    "observations_json_schema",
    "parse_achieved",
    "parse_number",
    "peek_years",
    "read_observations",
    "records_from_json",
    "structure",
    "to_json",
    "unstructure",
]
