"""The ``ntmkit`` command.

Exit codes: 0 success; 1 bad input (a file, set id, version or value ntmkit cannot use, or an
output file that cannot be written; the message says what to fix); 2 wrong command-line usage.
Every error is one line on standard error, starting ``ntmkit: lỗi:`` (``ntmkit: error:`` in
English); nothing is written when a command fails.  Output files (``-o``) are replaced whole,
atomically (:mod:`ntmkit.io.output`).

Every command and subcommand takes ``--lang vi|en``; without it the language is the one the
environment variable ``NTMKIT_LANG`` names, else Vietnamese.  Every line written for people
comes from the message catalogue (:mod:`ntmkit.i18n`, section ``cli``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import os
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from ntmkit import i18n
from ntmkit._version import __version__
from ntmkit.errors import AssumedUnitWarning, NtmkitError, StaleCriteriaWarning
from ntmkit.i18n import LANGS, Lang

if TYPE_CHECKING:
    from ntmkit.io._tables import CsvText, Table
    from ntmkit.model.criteria import CriteriaSet, Threshold
    from ntmkit.model.enums import RuleKind
    from ntmkit.model.results import Assessment
    from ntmkit.points import PointsAssessment, PointsSet
    from ntmkit.registry.origins import SetOrigin
    from ntmkit.standing import Progress

__all__ = ["main"]


#: The environment variable that sets the language when ``--lang`` is not given.
_LANG_VARIABLE = "NTMKIT_LANG"


def _date(text: str, lang: Lang = "vi") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(i18n.text("cli.bad_date", lang, text=repr(text))) \
            from None


def _year(text: str, lang: Lang = "vi") -> int:
    try:
        year = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(i18n.text("cli.bad_year", lang, text=repr(text))) \
            from None
    if not 1 <= year <= 9999:
        raise argparse.ArgumentTypeError(i18n.text("cli.year_range", lang, text=repr(text)))
    return year


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line: what is wrong, and where to look.

    ``lang`` is the language of that line (argparse's own part of it stays English).
    """

    lang: Lang = "vi"

    def error(self, message: str) -> NoReturn:
        hint = i18n.text("cli.see_help", self.lang, prog=self.prog)
        self.exit(2, _error_line(f"{' '.join(message.split())} {hint}", self.lang) + "\n")


class _DeprecatedVersion(argparse.Action):
    """``--version`` under a command: the old name of ``--set-version``, still accepted."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        lang: Lang = parser.lang if isinstance(parser, _Parser) else "vi"
        message = i18n.text("cli.deprecated_version", lang, prog=parser.prog)
        print(i18n.text("cli.note", lang, message=message), file=sys.stderr)
        setattr(namespace, self.dest, values)


_LANG_HELP = (f"language of the output: vi (Vietnamese) or en; default: the environment "
              f"variable {_LANG_VARIABLE}, else vi")
_STRICT_HELP = ("what to do when the assessment date is after the set was last checked "
                "against the law: warn (default), raise (stop), unknown (verdicts unknown)")


def _set_version_options(command: argparse.ArgumentParser, lang: Lang = "vi") -> None:
    pick = command.add_mutually_exclusive_group()
    pick.add_argument("--set-version", dest="set_version", metavar="VERSION",
                      help="pin a version of the set, e.g. 2022-03-08")
    pick.add_argument("--version", dest="set_version", action=_DeprecatedVersion,
                      metavar="VERSION", help="deprecated name of --set-version")
    pick.add_argument("--on", type=functools.partial(_date, lang=lang), metavar="DATE",
                      help="use the version in force on this date (YYYY-MM-DD)")


def _parser(lang: Lang = "vi") -> argparse.ArgumentParser:
    """The command line's parser; its own usage errors are written in *lang*.

    Every parser of the tree, commands and subcommands alike, gets ``--lang`` here, so that a
    new command has it too.
    """
    year = functools.partial(_year, lang=lang)
    parser = _Parser(
        prog="ntmkit",
        description="Vietnam's New Rural Development (Nông thôn mới) criteria: browse the "
        "versioned criteria sets and assess communes against them.",
    )
    parser.add_argument("--version", action="version", version=f"ntmkit {__version__}",
                        help="print ntmkit's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser("assess", help="assess the communes of a CSV or JSON file")
    a.add_argument("file", type=Path, help="observations file (.csv, .json or .xlsx)")
    a.add_argument("--set", dest="set_id", default="commune/ntm",
                   help="criteria set id, optionally with @version, or a set file (.toml, e.g. "
                   "one written by 'ntmkit criteria fill'); default: commune/ntm. A row whose "
                   "province has a set of its own installed uses that one. A points set (e.g. "
                   "product/ocop) scores and ranks the file's units")
    _set_version_options(a, lang)
    a.add_argument("--year", type=year, help="assessment year (default: each row's year column)")
    a.add_argument("--format", choices=("table", "json", "csv"), default="table", dest="fmt",
                   help="table for people; json (one ntmkit.trace.v1 trace per commune); csv "
                   "(one row per commune, one column per criterion verdict)")
    a.add_argument("--strict", choices=("warn", "raise", "unknown"), default="warn",
                   help=_STRICT_HELP)
    a.add_argument("--provisional", action="store_true",
                   help="use the candidate value of an uncertain threshold where the registry "
                   "has one; every verdict that rests on one is marked provisional")
    a.add_argument("-o", "--output", type=Path,
                   help="write here instead of standard output; a .xlsx file gets a sheet of "
                   "verdicts coloured by verdict and a sheet of gaps (needs ntmkit[xlsx])")

    r = sub.add_parser("report", help="write a self-contained HTML report of a file's communes")
    r.add_argument("file", type=Path, help="observations file (.csv, .json or .xlsx)")
    r.add_argument("--set", dest="set_id", default="commune/ntm",
                   help="criteria set or points set id (optionally @version) or a set file "
                   "(.toml)")
    _set_version_options(r, lang)
    r.add_argument("--year", type=year, help="assessment year (default: each row's year column)")
    r.add_argument("--strict", choices=("warn", "raise", "unknown"), default="warn",
                   help=_STRICT_HELP)
    r.add_argument("--provisional", action="store_true",
                   help="use candidate values of uncertain thresholds, marked provisional")
    r.add_argument("--target", action="append", default=[], dest="targets",
                   help="add a 'toward the targets' section for this target id (repeatable)")
    r.add_argument("-o", "--output", type=Path, required=True, help="the .html file to write")

    g = sub.add_parser("progress", help="progress of a file's communes toward a target")
    g.add_argument("target", help="target id, e.g. province/hung-yen/communes-model "
                   "(ntmkit progress --list shows them)", nargs="?")
    g.add_argument("file", type=Path, nargs="?",
                   help="a CSV of declared tiers (columns code, tier) or an observations "
                   "file to assess")
    g.add_argument("--list", action="store_true", help="list the shipped targets")
    g.add_argument("--total", type=int, help="number of units, when the file lists only some")
    g.add_argument("--set", dest="set_id", default=None,
                   help="criteria set to assess an observations file against (default: the "
                   "set of the target's tier or indicator)")
    _set_version_options(g, lang)
    g.add_argument("--year", type=year, help="assessment year (default: each row's year column)")
    g.add_argument("--strict", choices=("warn", "raise", "unknown"), default="warn",
                   help=_STRICT_HELP)
    g.add_argument("--provisional", action="store_true",
                   help="use candidate values of uncertain thresholds, marked provisional")
    g.add_argument("--top", type=int, default=10, help="how many closest communes to list")
    g.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    c = sub.add_parser("criteria", help="browse the criteria registry")
    csub = c.add_subparsers(dest="criteria_command", metavar="ACTION")
    csub.add_parser("list", help="list every set version")
    show = csub.add_parser("show", help="show a set version: criteria, indicators, thresholds")
    show.add_argument("key", help="ID@VERSION, e.g. commune/ntm@2024-03-01")
    show.add_argument("--sources", action="store_true",
                      help="name the sources of every threshold and list them with their URLs")
    d = csub.add_parser("diff", help="what changed between two set versions")
    d.add_argument("old", help="ID@VERSION of the older set")
    d.add_argument("new", help="ID@VERSION of the newer set")
    d.add_argument("--format", choices=("text", "json"), default="text", dest="fmt",
                   help="text for people (values, then rules, then provenance counted); json "
                   "for tools (every change with its kind)")
    d.add_argument("--all", action="store_true", dest="full",
                   help="list every provenance change (confidence, sources, notes), not a count")
    cov = csub.add_parser("coverage", help="how many threshold cells are known, by confidence")
    cov.add_argument("key", nargs="?", help="ID@VERSION (default: every set version)")
    t = csub.add_parser("template", help="write a fill-in template of a set's threshold cells")
    t.add_argument("key", help="ID@VERSION")
    t.add_argument("-o", "--output", type=Path, required=True,
                   help="a .csv, .toml or .xlsx file (a workbook locks the columns that "
                   "describe each cell and offers drop-downs; needs ntmkit[xlsx])")
    t.add_argument("--only-unknown", action="store_true", help="list only the unknown cells")
    f = csub.add_parser("fill", help="turn a filled template into a derived set file")
    f.add_argument("key", help="ID@VERSION of the set the template was written for")
    f.add_argument("file", type=Path, help="the filled template (.csv, .toml or .xlsx)")
    f.add_argument("--as", dest="new_id", required=True, help="the id of the derived set")
    new_version = f.add_mutually_exclusive_group()
    new_version.add_argument("--set-version", dest="new_version", metavar="VERSION",
                             help="the derived set's version (default: the base's)")
    new_version.add_argument("--version", dest="new_version", action=_DeprecatedVersion,
                             metavar="VERSION", help="deprecated name of --set-version")
    f.add_argument("--accept-corrections", action="store_true",
                   help="apply values that contradict the registry's verified values")
    f.add_argument("--add-indicators", action="store_true",
                   help="rows may add indicators the set does not have yet (give criterion, "
                   "name_vi, unit and comparator)")
    f.add_argument("--checked-on", type=functools.partial(_date, lang=lang), metavar="DATE",
                   help="the date you checked the values (default: today); it is part of the "
                   "derived set's fingerprint")
    f.add_argument("-o", "--output", type=Path, required=True, help="the set file to write")
    _export_parser(csub)
    _serve_parser(sub)
    for each in _parsers(parser):
        # Given or not, one place decides the language (_language): the option is recorded
        # only when given, so that 'ntmkit --lang en criteria list' is not undone by the
        # subcommand's default.
        each.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=_LANG_HELP)
        if isinstance(each, _Parser):
            each.lang = lang
    return parser


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """*parser* and the parsers of all its commands and subcommands, depth first."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from _parsers(child)


def _export_parser(csub: argparse._SubParsersAction[_Parser]) -> None:
    e = csub.add_parser("export", help="write every set version as JSON, an index and the "
                        "JSON Schemas into a folder, for apps that vendor a pinned snapshot")
    e.add_argument("-o", "--output", type=Path, required=True,
                   help="a new or empty folder to write into")


def _export(args: argparse.Namespace) -> str:
    from ntmkit.export import export

    n = export(args.output)
    return i18n.text("cli.wrote_export", args.lang, count=n, output=args.output) + "\n"


def _serve_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    from ntmkit.serve.settings import add_arguments

    s = sub.add_parser("serve", help="serve the registry and assessments over HTTP, with a web "
                       "page for offices (needs the 'serve' extra: pip install 'ntmkit[serve]')")
    add_arguments(s)


def _serve(args: argparse.Namespace) -> None:
    from ntmkit.serve.settings import run

    run(args)


def _write(text: str | Iterable[str], output: Path | None, inputs: Sequence[Path] = ()) -> None:
    """Write *text* (or its chunks, as they come) to *output*, or to standard output."""
    if output is None:
        for chunk in [text] if isinstance(text, str) else text:
            sys.stdout.write(chunk)
        return
    from ntmkit.io.output import write_file

    write_file(output, text, inputs=inputs)


def _check_output(output: Path | None, inputs: Sequence[Path] = ()) -> None:
    """Refuse an output path that cannot be written before any work is done."""
    if output is not None:
        from ntmkit.io.output import check_output

        check_output(output, inputs=inputs)


def _pinned(set_key: str, version: str | None, lang: Lang) -> tuple[str, str | None]:
    """The set id and the version pinned by ``--set ID@VERSION`` and ``--set-version``."""
    from ntmkit import registry

    set_id, key_version = registry.parse_key(set_key)
    if key_version is not None and version is not None and key_version != version:
        raise _UsageError(i18n.text("cli.pin_twice", lang, key=set_key, version=version))
    return set_id, version or key_version


class _UsageError(Exception):
    """Options that contradict each other (exit code 2)."""


def _get(key: str, lang: Lang = "vi") -> CriteriaSet:
    """The set named ``ID@VERSION`` on the command line."""
    from ntmkit import registry

    set_id, version = registry.parse_key(key)
    if version is None:
        versions = registry.default().versions(set_id)
        if not versions:
            registry.get(set_id, version="?")  # raises, naming the sets the registry has
        raise _UsageError(i18n.text("cli.need_key", lang, example=f"{set_id}@{versions[-1]}",
                                    set_id=set_id, versions=", ".join(versions)))
    return registry.get(set_id, version=version)


def _is_xlsx(output: Path | None) -> bool:
    return output is not None and output.suffix.lower() == ".xlsx"


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=False)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _set_file(text: str) -> Path | None:
    """The set file *text* names, when ``--set`` is given a path rather than a set id."""
    path = Path(text)
    return path if text.endswith(".toml") or path.is_file() else None


def _pick_set(args: argparse.Namespace,
              read: CsvText | None = None) -> tuple[CriteriaSet, str, bool]:
    """The set the file is read against, its id, and whether it is pinned.

    A row uses its province's own set only when the set is not pinned.  *read* is the file
    already read as CSV text, if it was.
    """
    from ntmkit import io, registry

    file = _set_file(args.set_id)
    pinned = file is not None or args.set_version is not None or "@" in args.set_id
    if file is not None:
        if args.set_version is not None:
            raise _UsageError(i18n.text("cli.set_file_pinned", args.lang, file=file))
        cs = registry.load(file)
        return cs, cs.id, pinned
    set_id, version = _pinned(args.set_id, args.set_version, args.lang)
    if version is not None and args.on is not None:
        raise _UsageError(i18n.text("cli.pin_and_on", args.lang, key=args.set_id))
    if version is not None:
        return registry.get(set_id, version=version), set_id, pinned
    # The rows' year picks the version in force (31 December of that year).
    if args.on is not None:
        on = args.on
    else:
        # peek_years reports a file it cannot read before anything asks for --year.
        years = ({args.year} if args.year is not None else read.years() if read is not None
                 else io.peek_years(args.file))
        if None in years:
            raise NtmkitError(i18n.text("cli.need_year", args.lang), file=str(args.file))
        picked = {registry.get(set_id, on=dt.date(y, 12, 31)).version
                  for y in years if y is not None}
        if len(picked) > 1:
            raise NtmkitError(i18n.text("cli.several_versions", args.lang, set_id=set_id,
                                        versions=", ".join(sorted(picked))),
                              file=str(args.file))
        on = dt.date(max(y for y in years if y is not None), 12, 31)
    cs = registry.get(set_id, on=on)
    if args.on is not None:
        until = (i18n.text("cli.superseded", args.lang, date=cs.superseded_on)
                 if cs.superseded_on else "")
        print(i18n.text("cli.on_chose", args.lang, on=args.on, key=cs.key,
                        effective=cs.effective, until=until), file=sys.stderr)
    return cs, set_id, pinned


@attrs.frozen
class _Group:
    """The rows scored against one set.

    Holds their positions in the file, the verdict frame of the set and of each prerequisite
    set, and why the set was chosen (for a province's own set).
    """

    cs: CriteriaSet
    rows: Any
    out: Any
    prerequisites: dict[str, Any]
    why: str


@attrs.frozen
class _Scored:
    """A file scored by the columnar engine, one group of rows per set used."""

    cs: CriteriaSet
    table: Table
    groups: list[_Group]

    @property
    def out(self) -> Any:
        """The verdict frame of every row, in file order."""
        if len(self.groups) == 1:
            return self.groups[0].out
        import pandas as pd

        return pd.concat([g.out for g in self.groups]).reindex(self.table.frame.index)


def _row_sets(args: argparse.Namespace, cs: CriteriaSet, set_id: str, pinned: bool,
              frame: Any) -> list[tuple[CriteriaSet, Any, str]]:
    """The set each row uses: its province's own where one is installed (unless pinned)."""
    import numpy as np

    from ntmkit import registry

    n = len(frame)
    if pinned or "province" not in frame.columns or not frame["province"].notna().any():
        return [(cs, np.arange(n), "")]
    years = ([args.year] * n if args.year is not None
             else [None if y is None or y != y else int(y)
                   for y in frame["year"].astype(object).tolist()] if "year" in frame.columns
             else [None] * n)
    chosen: dict[tuple[str, dt.date], tuple[CriteriaSet, str]] = {}
    keys: list[str] = []
    sets: dict[str, tuple[CriteriaSet, str]] = {cs.key: (cs, "")}
    for province, year in zip(frame["province"].tolist(), years, strict=True):
        when = args.on or (dt.date(year, 12, 31) if year is not None else None)
        if not isinstance(province, str) or not province or when is None:
            keys.append(cs.key)
            continue
        if (province, when) not in chosen:
            try:
                found = registry.resolve(set_id, on=when, province=province)
            except NtmkitError as exc:
                row = frame.index[len(keys)]
                raise exc.relocated(f"{args.file}, row {row}: {exc}", file=str(args.file),
                                    row=row) from None
            chosen[(province, when)] = ((found.set, found.reason) if found.provincial
                                        else (cs, ""))
        row_set, why = chosen[(province, when)]
        sets.setdefault(row_set.key, (row_set, why))
        keys.append(row_set.key)
    key_array = np.array(keys, dtype=object)
    return [(sets[key][0], np.flatnonzero(key_array == key), sets[key][1])
            for key in dict.fromkeys(keys)]


def _score(args: argparse.Namespace) -> _Scored:
    """Read the file into columns and score it with the batch engine."""
    import numpy as np
    import pandas as pd

    from ntmkit import registry
    from ntmkit.batch import _assess_frame, _Options
    from ntmkit.io._tables import read_csv_text, read_table

    read = read_csv_text(args.file)  # read once: for the years and for the columns
    cs, set_id, pinned = _pick_set(args, read)
    table = read_table(args.file, cs, read)
    del read
    groups = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StaleCriteriaWarning)
        for row_set, rows, why in _row_sets(args, cs, set_id, pinned, table.frame):
            frame = table.frame if len(rows) == len(table.frame) else table.frame.iloc[rows]
            prerequisites: dict[str, Any] = {}
            options = _Options(year=args.year, region=None, classes=None, units=table.units,
                               registry=registry.default(), gaps=False, on=args.on,
                               strict=args.strict,
                               policy="provisional" if args.provisional else "published",
                               prerequisites=prerequisites)
            try:
                out = _assess_frame(np, pd, frame, row_set, options)
            except NtmkitError as exc:
                raise exc.relocated(f"{args.file}, {exc}", file=str(args.file)) from None
            groups.append(_Group(row_set, rows, out, prerequisites, why))
    for message in sorted({str(w.message) for w in caught}):
        print(i18n.text("cli.warning", args.lang, message=message), file=sys.stderr)
    return _Scored(cs, table, groups)


#: Per row: (criteria not met, prerequisite sets not met, criteria unknown, criteria whose
#: verdict is declared), each a list of marked criterion codes.
_Lists = tuple[list[str], list[str], list[str], list[str]]


def _marks(out: Any, code: str) -> Any:
    """Each row's marks for a criterion: * provisional, d declared, ! conflict."""
    import numpy as np

    n = len(out)
    mark = np.full(n, "", dtype=object)
    if f"p:{code}" in out:
        mark = np.where(out[f"p:{code}"].to_numpy(dtype=bool), "*", mark)
    if f"basis:{code}" in out:
        basis = out[f"basis:{code}"].to_numpy(dtype=object)
        mark = mark + np.where(basis == "declared", "d", np.where(basis == "conflict", "!", ""))
    return mark


def _lists(group: _Group, used: set[str]) -> list[_Lists]:
    """Per row of the group, its marked criterion lists; the marks shown go into *used*."""
    import numpy as np

    def marked(out: Any, codes: list[str], verdict: str | None,
               rows_shown: Any = None) -> list[list[str]]:
        n = len(out)
        rows: list[list[str]] = [[] for _ in range(n)]
        for code in codes:
            marks = _marks(out, code)
            if verdict is None:
                hit = out[f"basis:{code}"].to_numpy(dtype=object) != "computed" \
                    if f"basis:{code}" in out else np.zeros(n, dtype=bool)
            else:
                hit = out[f"c:{code}"].to_numpy(dtype=object) == verdict
            if rows_shown is not None:
                hit = hit & rows_shown
            for i in np.flatnonzero(hit):
                rows[i].append(code + marks[i])
                used.update(marks[i])
        return rows

    out, cs = group.out, group.cs
    codes = list(cs.criteria)
    failed = marked(out, codes, "not_met")
    unknown = marked(out, codes, "unknown")
    stated = marked(out, codes, None)
    pre_failed: list[list[str]] = [[] for _ in range(len(out))]
    for key in cs.requires:
        pre_out = group.prerequisites[key]
        pre_set = key.split("@")[0]
        pre_codes = [c[2:] for c in pre_out.columns if c.startswith("c:")]
        not_met = pre_out["verdict"].to_numpy(dtype=object) == "not_met"
        pre_lists = marked(pre_out, pre_codes, "not_met", not_met)
        for i in np.flatnonzero(not_met):
            pre_failed[i].append(f"{pre_set} ({', '.join(pre_lists[i])})")
    return list(zip(failed, pre_failed, unknown, stated, strict=True))


def _per_row(scored: _Scored, used: set[str], limit: int | None = None) -> list[_Lists]:
    """The marked criterion lists of every row (or of the first *limit*), in file order."""
    import numpy as np

    n = len(scored.table.frame) if limit is None else min(limit, len(scored.table.frame))
    rows: list[_Lists | None] = [None] * n
    for group in scored.groups:
        take = np.flatnonzero(group.rows < n)
        if len(take) < len(group.rows):
            group = attrs.evolve(group, rows=group.rows[take], out=group.out.iloc[take],
                                 prerequisites={key: pre.iloc[take] for key, pre
                                                in group.prerequisites.items()})
        for position, lists in zip(group.rows.tolist(), _lists(group, used), strict=True):
            rows[position] = lists
    return [r for r in rows if r is not None]


def _points(args: argparse.Namespace) -> tuple[PointsSet, list[PointsAssessment]] | None:
    """The points set named by --set and the file's units scored against it (else None)."""
    from ntmkit import points, registry
    from ntmkit.points.batch import score_rows
    from ntmkit.points.present import read_rows

    file = _set_file(args.set_id)
    if file is not None:
        # A points-set file of one's own (format ntmkit.points-set.v1), used as it is.
        try:
            head = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if "ntmkit.points-set.v1" not in head:
            return None
        ps = points.load(file)
        return ps, score_rows(ps, read_rows(args.file), origin=f"{args.file}, ")
    set_id, key_version = registry.parse_key(args.set_id)
    # A criteria set's id is known without loading the points registry (which costs more
    # than reading a small file); the two never share an id (a test checks it).
    if set_id in registry.default().ids() or set_id not in points.default():
        return None
    version = args.set_version or key_version
    if version is not None:
        ps = points.get(set_id, version=version)
    else:
        on = args.on or (dt.date(args.year, 12, 31) if args.year is not None else None)
        if on is None:
            raise NtmkitError(i18n.text("cli.points_need_version", args.lang, set_id=set_id))
        ps = points.get(set_id, on=on)
    return ps, score_rows(ps, read_rows(args.file), origin=f"{args.file}, ")


def _assess(args: argparse.Namespace) -> str | Iterable[str]:
    points_scored = _points(args)
    if points_scored is not None:
        from ntmkit.points.present import points_csv, points_table

        ps, ranked = points_scored
        if args.fmt == "json":
            return json.dumps([a.trace() for a in ranked], ensure_ascii=False, indent=2) + "\n"
        return points_csv(ps, ranked) if args.fmt == "csv" else points_table(ps, ranked,
                                                                              args.lang)
    if args.fmt == "json":
        return _json_traces(args)
    from ntmkit.model.enums import Region, Verdict

    scored = _score(args)
    cs, frame = scored.cs, scored.table.frame
    out = scored.out
    if args.fmt == "csv":
        return _csv(scored)
    lang: Lang = args.lang
    vi = lang == "vi"
    head = [i18n.text(f"cli.assess.{key}", lang)
            for key in ("code", "name", "column", "met", "verdict", "not_met", "unknown")]
    region_names = {r.value: i18n.region_name(r, lang) for r in Region}
    verdict_names = {v.value: i18n.verdict_name(v, lang) for v in Verdict}
    marks: set[str] = set()
    lists = _per_row(scored, marks)
    provisional = (out["provisional"].to_numpy(dtype=bool).tolist() if "provisional" in out
                   else [False] * len(out))
    rows = [head]
    for code, name, column, met, total, verdict, p, (failed, pre_failed, unknown, stated) \
            in zip(frame["code"].tolist(), frame["name"].tolist(),
                   out["region_column"].tolist(), out["met"].tolist(), out["total"].tolist(),
                   out["verdict"].tolist(), provisional, lists, strict=True):
        label = verdict_names[verdict]
        if p:
            label += "*"
            marks.add("*")
        rows.append([code or "", name,
                     "—" if column is None or column != column else region_names[column],
                     f"{met}/{total}", label, ", ".join(failed + pre_failed) or "—",
                     f"{len(unknown)} ({', '.join(unknown)})" if unknown else "0",
                     ", ".join(stated) or "—"])
    if not marks & {"d", "!"}:  # no declared verdicts: no column for them
        rows = [rows[0]] + [r[:-1] for r in rows[1:]]
    else:
        rows[0].append(i18n.text("cli.assess.declared", lang))
    acts = ", ".join([cs.legal_basis.act] + [a.act for a in cs.amended_by])
    title = (f"{cs.key} ({acts}) — {cs.title_vi if vi else cs.title_en}\n"
             + i18n.text("cli.assess.fingerprint", lang, fingerprint=cs.fingerprint) + "\n")
    others = Counter({g.why: len(g.rows) for g in scored.groups if g.why})
    for why, count in sorted(others.items()):
        title += i18n.text("cli.assess.province_set", lang, count=count, why=why) + "\n"
    title += "\n"
    footer = "\n" + i18n.text("cli.assess.unknown_legend", lang) + "\n"
    legend = {"*": "provisional", "d": "declared", "!": "conflict"}
    for mark in ("*", "d", "!"):
        if mark in marks:
            footer += i18n.text(f"cli.assess.legend.{legend[mark]}", lang) + "\n"
    return title + _table(rows) + footer


def _assessments(scored: _Scored, args: argparse.Namespace, limit: int) -> list[Assessment]:
    """Full assessments of the first *limit* rows (for the pages a person reads)."""
    from ntmkit.model.places import Commune
    from ntmkit.model.results import BySex
    from ntmkit.scoring import assess, coerce_value, observable_indicators, split_sex_column
    from ntmkit.units import Q

    frame, units = scored.table.frame.iloc[:limit], scored.table.units
    indicators = observable_indicators(scored.cs)
    row_set = {}
    for group in scored.groups:
        for position in group.rows.tolist():
            if position < limit:
                row_set[position] = (group.cs, group.why)
    identity = {"code", "name", "region", "province", "district", "edition", "classes",
                "year", "group"}
    columns = [c for c in frame.columns if c not in identity]

    def missing(cell: Any) -> bool:
        return cell is None or cell is _pd_na() or (isinstance(cell, float) and cell != cell)

    def value(cell: Any, code: str) -> Any:
        if missing(cell):
            return None
        if isinstance(cell, float) and code in units:  # converted as the file readers do
            return coerce_value(indicators[code], Q(cell, units[code]))[0]
        return cell

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleCriteriaWarning)  # already reported
        for position, row in enumerate(frame.to_dict("records")):
            observations: dict[str, Any] = {}
            for column in columns:
                code, half = split_sex_column(column)
                if column.startswith("criterion:"):
                    if not missing(row[column]):
                        observations[column] = row[column]
                elif half is None:
                    observations[code] = value(row[column], code)
                elif half == "men":
                    observations[code] = BySex(value(row[column], code),
                                               value(row[f"{code}:women"], code))
            group, year = row.get("group"), row.get("year")
            text = {key: None if missing(row[key]) else row[key]
                    for key in ("region", "province", "district", "edition", "classes")}
            commune = Commune(code=row["code"], name=row["name"], region=text["region"],
                              province=text["province"], district=text["district"],
                              edition=text["edition"],
                              classes=[c for c in (text["classes"] or "").split(";") if c],
                              group=None if missing(group) else int(group))
            year = args.year if args.year is not None else (
                None if missing(year) else int(year))
            cs, why = row_set[position]
            a = assess(commune, observations, cs, year=year, on=args.on, strict=args.strict,
                       thresholds="provisional" if args.provisional else "published")
            out.append(attrs.evolve(a, resolution=why) if why else a)
    return out


def _assess_xlsx(args: argparse.Namespace) -> None:
    """``assess -o FILE.xlsx``: a workbook of verdicts and gaps."""
    from ntmkit.io.xlsx import require_openpyxl, write_assessments

    if args.fmt != "table":
        raise NtmkitError(i18n.text("cli.xlsx_format", args.lang, output=args.output,
                                    fmt=args.fmt))
    require_openpyxl()  # before scoring, so that a missing library is said at once
    if _points(args) is not None:
        raise NtmkitError(i18n.text("cli.xlsx_points", args.lang, set_id=args.set_id))
    scored = _score(args)
    results = _assessments(scored, args, len(scored.table.frame))
    write_assessments(scored.cs, results, args.output, lang=args.lang)


def _pd_na() -> Any:
    """The missing marker of pandas."""
    import pandas as pd

    return pd.NA


def _json_traces(args: argparse.Namespace) -> Iterable[str]:
    """One ntmkit.trace.v1 trace per commune, built and written one at a time."""
    scored = _score(args)  # checks every row (and warns) before anything is written
    n = len(scored.table.frame)
    batch = 500

    def chunks() -> Iterator[str]:
        yield "["
        for start in range(0, n, batch):
            part = _Scored(scored.cs, attrs.evolve(
                scored.table, frame=scored.table.frame.iloc[start:start + batch]),
                [attrs.evolve(g, rows=g.rows[(g.rows >= start) & (g.rows < start + batch)]
                              - start) for g in scored.groups])
            for k, a in enumerate(_assessments(part, args, batch)):
                text = json.dumps(a.trace(), ensure_ascii=False, indent=2)
                yield ("," if start + k else "") + "\n  " + text.replace("\n", "\n  ")
        yield "\n]\n" if n else "]\n"

    return chunks()


def _csv(scored: _Scored) -> str:
    from ntmkit.io.results import results_csv

    return results_csv(scored.cs, scored.table.frame, scored.out,
                       [(g.cs, g.rows) for g in scored.groups])


def _all_assessments(args: argparse.Namespace) -> list[Assessment]:
    """Every row of the file as a full assessment (scored by the engine first)."""
    scored = _score(args)
    return _assessments(scored, args, len(scored.table.frame))


def _report_extras(args: argparse.Namespace, cs: CriteriaSet,
                   results: list[Assessment]) -> dict[str, Any]:
    """Progress toward the asked targets, and trajectories when the file spans years."""
    from ntmkit import io, targets
    from ntmkit.standing import progress
    from ntmkit.trajectory import history

    extra: dict[str, Any] = {}
    if args.targets:
        extra["progress"] = [progress(targets.target(t), results) for t in args.targets]
    years = {a.year for a in results if a.year is not None}
    if len(years) > 1 and args.year is None:
        records = io.read_observations(args.file, cs)
        extra["trajectories"] = history(
            records, ladder=[cs], strict=args.strict,
            thresholds="provisional" if args.provisional else "published")
    return extra


_TIER_SETS = {"ntm": "commune/ntm", "ntm-advanced": "commune/ntm-advanced",
              "ntm-model": "commune/ntm-model", "ntm-modern": "commune/ntm-modern"}


def _declared_tiers(path: Path, lang: Lang = "vi") -> dict[str, str | None] | None:
    """The file's declared tiers (code → tier), or None when it is not a tiers file."""
    import csv

    if path.suffix.lower() != ".csv":
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise NtmkitError(i18n.text("cli.cannot_read", lang, file=path,
                                    reason=exc.strerror)) from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or "tier" not in rows[0] or "code" not in rows[0]:
        return None
    out: dict[str, str | None] = {}
    for n, row in enumerate(rows, start=2):
        code, tier = (row.get("code") or "").strip(), (row.get("tier") or "").strip()
        if not code:
            raise NtmkitError(i18n.text("cli.tiers.empty_code", lang, file=path, row=n))
        if code in out:
            raise NtmkitError(i18n.text("cli.tiers.code_twice", lang, file=path, row=n,
                                        code=code))
        if tier and tier not in _TIER_SETS:
            raise NtmkitError(i18n.text("cli.tiers.unknown_tier", lang, file=path, row=n,
                                        tier=repr(tier), tiers=", ".join(_TIER_SETS)))
        out[code] = tier or None
    return out


def _progress(args: argparse.Namespace) -> str:
    from ntmkit import targets
    from ntmkit.standing import progress

    lang: Lang = args.lang
    if args.list or args.target is None:
        rows = [[i18n.text(f"cli.progress.list.{key}", lang)
                 for key in ("target", "year", "value", "denominator", "confidence")]]
        for s in targets.list():
            for t in targets.get(s.id, version=s.version):
                among = (i18n.text("cli.progress.all", lang) if t.among is None
                         else i18n.text(f"common.tier.{t.among.value}", lang))
                rows.append([t.id, str(t.year or "—"), t.wording(lang), among,
                             i18n.confidence_name(t.confidence, lang)])
        return _table(rows)
    if args.file is None:
        raise NtmkitError(i18n.text("cli.need_file", lang))
    target = targets.target(args.target)
    declared = _declared_tiers(args.file, lang)
    if declared is not None:
        result = progress(target, declared, total=args.total)
    else:
        if args.set_id is None:
            args.set_id = (target.indicator.set if target.indicator is not None
                           else _TIER_SETS[target.tier.value if target.tier else "ntm"])
        result = progress(target, _all_assessments(args))
    return _progress_text(result, args.lang, top=args.top)


def _progress_text(p: Progress, lang: Lang = "vi", *, top: int = 10) -> str:
    """A progress result as a table for people (Vietnamese, or English with ``"en"``)."""
    from ntmkit.report import progress_words

    vi = lang == "vi"
    t = p.target
    basis, denominator, reached = progress_words(p, lang)
    share = f"{p.counted}/{p.total} ({p.share.percent:.1f} %)"
    if p.unknown:
        share += " " + i18n.text("cli.progress.unknown_more", lang, count=p.unknown)
    labels = [i18n.text(f"cli.progress.{key}", lang)
              for key in ("target", "year", "basis", "denominator", "current", "required",
                          "more_needed", "outcome")]
    values = [f"{t.id}: {t.name_vi if vi else t.name_en} ({t.wording(lang)})",
              str(t.year or "—"), basis, denominator, share,
              "?" if p.required is None else str(p.required),
              "?" if p.more_needed is None else str(p.more_needed), reached]
    width = max(len(label) for label in labels)
    lines = [f"{label.ljust(width)}  {value}" for label, value in zip(labels, values,
                                                                       strict=True)]
    if p.approximate:
        lines.append(i18n.text("cli.progress.approximate", lang))
    if p.candidates and top > 0:
        head = [i18n.text(f"cli.progress.{key}", lang)
                for key in ("code", "name", "not_met", "unknown", "distance")]
        rows = [head] + [[c.unit, c.name, ", ".join(c.criteria_not_met) or "—",
                          str(len(c.criteria_unknown)), f"{c.distance:.3f}"]
                         for c in p.candidates[:top]]
        lines += ["", i18n.text("cli.progress.closest", lang), _table(rows).rstrip()]
    return "\n".join(lines) + "\n"


def _diff(args: argparse.Namespace) -> str:
    from ntmkit import registry
    from ntmkit.diff_text import render

    d = registry.diff(registry.get(args.old), registry.get(args.new))
    if args.fmt == "json":
        return json.dumps(d.as_json(), ensure_ascii=False, indent=2) + "\n"
    return render(d, lang=args.lang, full=args.full)


def _coverage(args: argparse.Namespace) -> str:
    """``criteria coverage``: threshold cells by confidence, and criteria without indicators."""
    from ntmkit import i18n, points, registry
    from ntmkit.model.enums import Confidence
    from ntmkit.points.coverage import points_coverage

    lang = i18n.check_lang(getattr(args, "lang", "vi"))  # --lang, where the parser gives it
    keys = [args.key] if args.key else [f"{s.id}@{s.version}" for s in registry.list()]
    if not args.key:
        keys += [p.key for p in points.default().list()]
    covs = [points_coverage(points.get(key)) if registry.parse_key(key)[0] in points.default()
            else registry.coverage(_get(key, lang)) for key in keys]
    levels = [c for c in Confidence if any(cov.count(c) for cov in covs)]
    rows = [[i18n.text(f"coverage.column.{k}", lang) for k in ("set", "cells", "known")]
            + [i18n.confidence_name(c, lang) for c in levels]
            + [i18n.text(f"coverage.column.{k}", lang) for k in ("decidable", "empty")]]
    for cov in covs:
        rows.append([cov.key, str(cov.cells), f"{cov.known} ({cov.share_known:.0%})",
                     *(str(cov.count(c)) for c in levels),
                     "—" if cov.criteria_decidable is None else
                     f"{cov.criteria_decidable}/{cov.criteria}",
                     f"{len(cov.empty_criteria)}/{cov.criteria}"])
    lines = [_table(rows), i18n.text("coverage.empty", lang)]
    for cov in covs:
        if not cov.empty_criteria:
            continue
        if args.key and registry.parse_key(args.key)[0] not in points.default():
            # One criteria set: name each criterion no value can decide.
            named = _get(args.key, lang).criteria
            lines += [f"  {code}. {named[code].name_vi if lang == 'vi' else named[code].name_en}"
                      for code in cov.empty_criteria]
        else:
            lines.append(f"  {cov.key}: {', '.join(cov.empty_criteria)}")
    if len(lines) == 2:
        lines.append("  " + i18n.text("coverage.none", lang))
    return "\n".join(lines) + "\n"


def _criteria(args: argparse.Namespace) -> str:
    from ntmkit import points, registry

    lang: Lang = args.lang
    vi = lang == "vi"
    if args.criteria_command == "list":
        rows = [[i18n.text(f"cli.list.{key}", lang) for key in
                 ("id", "version", "effective", "superseded", "basis", "origin", "title")]]
        for s in registry.list():
            rows.append([s.id, s.version, str(s.effective), str(s.superseded_on or "—"),
                         s.legal_basis, _origin(s.origin, lang),
                         s.title_vi if vi else s.title_en])
        for scheme in points.default().list():
            rows.append([scheme.id, scheme.version, str(scheme.effective),
                         str(scheme.superseded_on or "—"), scheme.legal_basis.act,
                         i18n.text("cli.origin.points", lang),
                         scheme.title_vi if vi else scheme.title_en])
        return _table(rows)
    if args.criteria_command == "show" and registry.parse_key(args.key)[0] in points.default():
        from ntmkit.points.present import points_set_text

        return points_set_text(points.get(args.key), args.lang)
    if args.criteria_command == "diff":
        return _diff(args)
    if args.criteria_command == "coverage":
        return _coverage(args)
    if args.criteria_command == "export":
        return _export(args)
    if args.criteria_command == "template":
        from ntmkit.io.fill import write_template

        cs = _get(args.key, lang)
        _check_output(args.output)
        n = write_template(cs, args.output, only_unknown=args.only_unknown, lang=lang)
        return i18n.text("cli.wrote_cells", lang, count=n, output=args.output) + "\n"
    if args.criteria_command == "fill":
        from ntmkit.io.fill import fill, write_set_file

        _check_output(args.output, [args.file])
        derived, text = fill(_get(args.key, lang), args.file, new_id=args.new_id,
                             version=args.new_version,
                             accept_corrections=args.accept_corrections,
                             add_indicators=args.add_indicators,
                             checked_on=args.checked_on)
        write_set_file(text, args.output, inputs=[args.file])
        return i18n.text("cli.wrote_set", lang, key=derived.key,
                         fingerprint=derived.fingerprint, output=args.output,
                         path=repr(str(args.output))) + "\n"
    return _show(args)


def _origin(origin: SetOrigin | None, lang: Lang) -> str:
    """Where a set came from, for the table of ``criteria list``."""
    if origin is None:
        return "—"
    if origin.kind == "bundled":
        return i18n.text("cli.origin.bundled", lang)
    if origin.kind == "plugin":
        return i18n.text("cli.origin.plugin", lang, name=origin.name)
    return origin.label


def _requirement(t: Threshold, kind: RuleKind, lang: Lang) -> str:
    """What a threshold asks for, and how sure the registry is of it (in brackets)."""
    from ntmkit.model.enums import Confidence, RuleKind

    said = []
    if not t.applies:
        wants = i18n.text("cli.show.does_not_apply", lang)
    elif not t.confidence.has_value:
        wants = i18n.text("common.threshold_unknown", lang)
        if t.candidate:
            said.append(i18n.text("cli.show.candidate", lang, value=t.candidate))
    elif kind is RuleKind.ACHIEVED:
        wants = i18n.text("cli.show.achieved", lang)
    else:
        wants = t.requirement(kind, lang)  # a number, a range, options or a formula
    if t.confidence is not Confidence.UNKNOWN:  # "threshold unknown" says it already
        said.append(i18n.confidence_name(t.confidence, lang))
    return f"{wants} ({'; '.join(said)})" if said else wants


def _show(args: argparse.Namespace) -> str:
    """``criteria show``: a set's criteria, indicators and thresholds, with sources."""
    from ntmkit.model.enums import RuleKind

    lang: Lang = args.lang
    vi = lang == "vi"
    cs = _get(args.key, lang)
    lines = [f"{cs.key} — {cs.title_vi if vi else cs.title_en}",
             i18n.text("cli.show.header", lang, act=cs.legal_basis.act, effective=cs.effective,
                       checked=cs.checked_on, fingerprint=cs.fingerprint), ""]
    incomplete = "  " + i18n.text("cli.show.incomplete", lang)
    for p in cs.pillars:
        lines.append(f"[{p.name_vi if vi else p.name_en}]")
        for c in p.criteria:
            lines.append(f"  {c.code}. {c.name_vi if vi else c.name_en}"
                         + ("" if c.indicators_complete else incomplete))
            for i in c.indicators:
                unit = i18n.unit_name(i.unit, lang)
                rule = (unit if i.rule.kind is RuleKind.ACHIEVED
                        else f"{i18n.rule_symbol(i.rule.kind, lang)}, {unit}")
                lines.append(f"    {i.code} {i.name_vi if vi else i.name_en} [{rule}]")
                for t in i.rule.thresholds:
                    cited = f" [{', '.join(t.sources)}]" if args.sources and t.sources else ""
                    lines.append(f"      {i18n.context_name(t.when, lang)}: "
                                 f"{_requirement(t, i.rule.kind, lang)}{cited}")
    if args.sources:
        lines += ["", i18n.text("cli.show.sources", lang)]
        for src in cs.sources:
            words = [f"{src.id}:", *([src.publisher] if src.publisher else []), src.url]
            lines.append("  " + " ".join(words) + (f" — {src.about}" if src.about else ""))
    return "\n".join(lines) + "\n"


def _one_line(message: str, lang: Lang = "vi") -> str:
    """A message on one line: a list of problems becomes ``a; b; c``."""
    lines = [line.strip().removeprefix("- ") for line in message.splitlines() if line.strip()]
    return "; ".join(lines) if lines else i18n.text("cli.no_message", lang)


def _error_line(message: str, lang: Lang) -> str:
    """The one line an error is: ``ntmkit: lỗi: …`` (``ntmkit: error: …`` in English)."""
    return i18n.text("cli.error", lang, message=_one_line(message, lang))


def _fail(code: int, message: str, lang: Lang = "vi") -> int:
    print(_error_line(message, lang), file=sys.stderr)
    return code


def _inputs(args: argparse.Namespace) -> list[Path]:
    """The files a scoring command reads (an output must not overwrite them)."""
    file = _set_file(args.set_id)
    return [args.file] if file is None else [args.file, file]


def _names(parser: argparse.ArgumentParser, lang: Lang) -> str:
    """The commands of *parser*, as a list in words: ``a, b or c``."""
    names = [name for action in parser._actions
             if isinstance(action, argparse._SubParsersAction) for name in action.choices]
    quoted = [f"'{name}'" for name in names]
    return ", ".join(quoted[:-1]) + i18n.text("cli.or", lang) + quoted[-1]


def _require_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Say which commands there are when none is given (exit code 2)."""
    lang: Lang = args.lang
    if args.command is None:
        parser.exit(2, _error_line(i18n.text("cli.choose_command", lang,
                                             commands=_names(parser, lang)), lang) + "\n")
    if args.command == "criteria" and args.criteria_command is None:
        criteria = next(p for p in _parsers(parser) if p.prog == f"{parser.prog} criteria")
        parser.exit(2, _error_line(i18n.text("cli.choose_action", lang,
                                             actions=_names(criteria, lang)), lang) + "\n")


def _environment_lang() -> Lang:
    """The language ``NTMKIT_LANG`` names (``vi`` when it is unset or empty)."""
    value = os.environ.get(_LANG_VARIABLE, "").strip().lower()
    if not value:
        return "vi"
    if value not in LANGS:
        raise _UsageError(i18n.text("cli.bad_env_lang", "vi", name=_LANG_VARIABLE,
                                    value=repr(value)))
    return i18n.check_lang(value)


def _given_lang(argv: Sequence[str]) -> Lang | None:
    """The language ``--lang`` names in *argv* (the last one), before argparse reads it.

    Argparse's own errors are found while it parses, so the language of the line that
    reports them is read here first.
    """
    found: Lang | None = None
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[n + 1] if arg == "--lang" and n + 1 < len(argv) else None)
        if value in LANGS:
            found = i18n.check_lang(value)
    return found


@contextlib.contextmanager
def _notes(lang: Lang) -> Iterator[None]:
    """Print ntmkit's notes (such as an assumed unit) as one line each on standard error."""
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", AssumedUnitWarning)
            yield
    finally:
        for w in caught:
            if not issubclass(w.category, AssumedUnitWarning):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        for message in dict.fromkeys(str(w.message) for w in caught
                                     if issubclass(w.category, AssumedUnitWarning)):
            print(i18n.text("cli.note", lang, message=message), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on *argv* (default: ``sys.argv[1:]``); return the exit code.

    Never raises: errors are printed as one line on standard error and give exit code 1
    (bad input) or 2 (usage); ``--help`` and ``--version`` give 0.  The language is the one
    ``--lang`` names, else the one the environment variable ``NTMKIT_LANG`` names, else
    Vietnamese.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    given = _given_lang(argv)
    try:
        lang = given or _environment_lang()
    except _UsageError as exc:
        return _fail(2, str(exc))
    try:
        parser = _parser(lang)
        args = parser.parse_args(argv)
        args.lang = getattr(args, "lang", lang)
        _require_command(parser, args)
    except SystemExit as exc:  # argparse: usage error (2), --help or --version (0)
        return exc.code if isinstance(exc.code, int) else 2
    with _notes(args.lang):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    try:
        if args.command == "assess" and _is_xlsx(args.output):
            _check_output(args.output, _inputs(args))
            _assess_xlsx(args)
        elif args.command == "assess":
            _check_output(args.output, _inputs(args))
            text = _assess(args)
            if args.fmt == "csv":
                # A BOM, so that Excel reads the file as UTF-8: on standard output too, so
                # that 'ntmkit assess … --format csv > out.csv' equals '-o out.csv'.
                assert isinstance(text, str)
                text = "\ufeff" + text
            _write(text, args.output, _inputs(args))
        elif args.command == "progress":
            _write(_progress(args), args.output)
        elif args.command == "report" and (points_scored := _points(args)) is not None:
            from ntmkit.report import points_report_html

            ps, ranked = points_scored
            _write(points_report_html(ranked, ps, lang=args.lang), args.output, _inputs(args))
            print(i18n.text("cli.wrote_points_report", lang, output=args.output,
                            count=len(ranked), key=ps.key))
        elif args.command == "report":
            from ntmkit.report import PROFILE_LIMIT, report_frame_html

            _check_output(args.output, _inputs(args))
            scored = _score(args)
            years = set(scored.table.frame["year"].dropna().tolist()) \
                if "year" in scored.table.frame else set()
            wants_all = bool(args.targets) or (len(years) > 1 and args.year is None)
            rows = len(scored.table.frame) if wants_all else PROFILE_LIMIT
            sample = _assessments(scored, args, rows)
            extra = _report_extras(args, scored.cs, sample) if wants_all else {}
            used: set[str] = set()
            # The report lists the first PROFILE_LIMIT communes only.
            failed = [", ".join(f) or "—"
                      for f, _, _, _ in _per_row(scored, used, PROFILE_LIMIT)]
            html = report_frame_html(scored.out, scored.table.frame, scored.cs, lang=args.lang,
                                     failed=failed, sample=sample[:PROFILE_LIMIT], **extra)
            _write(html, args.output, _inputs(args))
            print(i18n.text("cli.wrote_report", lang, output=args.output,
                            count=len(scored.out), key=scored.cs.key))
        elif args.command == "serve":
            _serve(args)
        else:
            sys.stdout.write(_criteria(args))
    except _UsageError as exc:
        return _fail(2, str(exc), lang)
    except NtmkitError as exc:
        from ntmkit.i18n.errors import error_text

        return _fail(1, error_text(exc, lang), lang)
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except OSError as exc:  # e.g. standard output closed, a disk full while printing
        where = exc.filename or i18n.text("cli.output", lang)
        return _fail(1, f"{where}: {exc.strerror or exc}", lang)
    except (RecursionError, MemoryError) as exc:
        return _fail(1, i18n.text("cli.too_large", lang, kind=type(exc).__name__), lang)
    except Exception as exc:  # a bug: still one line, and a request to report it
        return _fail(1, i18n.text("cli.internal_error", lang,
                                  detail=f"{type(exc).__name__}: {exc}"), lang)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
