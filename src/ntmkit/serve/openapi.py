"""The OpenAPI 3.1 description of ``ntmkit serve``, written by hand, and its docs page.

Hand-written rather than generated: the service has ten endpoints, and a spec written as data
keeps the web stack free of a schema library (Starlette has none; FastAPI would bring
pydantic).  A test validates it and checks that every route is described.
"""

from __future__ import annotations

import html
from typing import Any

from ntmkit._version import __version__

__all__ = ["PROBLEMS", "docs_html", "spec"]

#: The problem types (``/docs#problem-<slug>``) and when they are answered.
PROBLEMS = {
    "invalid-input": (422, "a file, row, cell, body or value ntmkit cannot use; the document "
                      "names file, row, column, indicator and unit where the error does"),
    "invalid-parameter": (422, "a query parameter is malformed; parameter names it"),
    "unknown-set": (404, "no such criteria set or version, or none in force on the date"),
    "not-found": (404, "no such URL"),
    "method-not-allowed": (405, "the URL exists, with another method"),
    "not-acceptable": (406, "Accept asks for a format the endpoint does not give"),
    "slow-body": (408, "the body did not arrive within timeout seconds"),
    "body-too-large": (413, "the body is larger than max_body (NTMKIT_SERVE_MAX_BODY)"),
    "too-many-rows": (413, "the upload has more communes than max_rows (NTMKIT_SERVE_MAX_ROWS)"),
    "unsupported-media-type": (415, "Content-Type is not one the endpoint reads"),
    "timeout": (503, "the request needed more than timeout seconds (NTMKIT_SERVE_TIMEOUT)"),
    "internal": (500, "a bug: please report it with the request"),
}


def _problem_ref(*statuses: int) -> dict[str, Any]:
    return {str(s): {"$ref": f"#/components/responses/P{s}"} for s in statuses}


_SET = {"name": "set", "in": "query", "required": False,
        "description": "set id, optionally pinned with @version (default commune/ntm); "
                       "unpinned, each row uses the version in force on 31 December of its "
                       "year (or on `on`) and its province's own set where one is installed",
        "schema": {"type": "string", "default": "commune/ntm"}}
_ON = {"name": "on", "in": "query", "required": False, "description": "assessment date",
       "schema": {"type": "string", "format": "date"}}
_YEAR = {"name": "year", "in": "query", "required": False,
         "description": "assessment year for every row (default: each row's year)",
         "schema": {"type": "integer"}}
_PROVISIONAL = {"name": "provisional", "in": "query", "required": False,
                "description": "use candidate values of uncertain thresholds, marked provisional",
                "schema": {"type": "boolean", "default": False}}
_FILENAME = {"name": "filename", "in": "query", "required": False,
             "description": "the file's name, repeated in error documents",
             "schema": {"type": "string"}}
_LANG = {"name": "lang", "in": "query", "required": False,
         "schema": {"enum": ["vi", "en"], "default": "vi"}}
_UPLOAD = {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"},
                 "example": "code,name,region,year,3.1,3.2\n00001,Tứ Dân,red_river_delta,2024,"
                            "85,Đạt\n"},
    "application/x-ndjson": {"schema": {"type": "string",
                                        "description": "one observation object per line"}},
    "application/json": {"schema": {"$ref": "#/components/schemas/Observations"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary",
                   "description": "a workbook: its first sheet, a header row then one row "
                                  "per commune, by the CSV rules (needs ntmkit[xlsx])"}},
    "application/vnd.apache.arrow.stream": {
        "schema": {"type": "string", "format": "binary",
                   "description": "an Arrow IPC stream (or file, "
                                  "application/vnd.apache.arrow.file) whose columns are the "
                                  "CSV columns (needs ntmkit[arrow])"}},
}}


def spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service."""
    json_object = {"application/json": {"schema": {"type": "object"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ntmkit", "version": __version__,
                 "summary": "Vietnam's New Rural Development criteria sets and assessments",
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "paths": {
            "/sets": {"get": {
                "operationId": "listSets", "summary": "every set id with its versions",
                "responses": {"200": {"description": "the index (format "
                                      "ntmkit.criteria-index.v1), each version with its url",
                                      "content": json_object}}}},
            "/sets/{key}": {"get": {
                "operationId": "getSet",
                "summary": "a pinned set version (ID@VERSION), or the version in force",
                "description": "With `@VERSION` (e.g. `/sets/commune/ntm@2024-03-01`, "
                               "`/sets/province/nam-dinh/commune/ntm-model@2024-01-01`): the "
                               "set's canonical JSON, ETag = its fingerprint, cached as "
                               "immutable; If-None-Match gives 304. Without: the version in "
                               "force on `on` (default today) for `province`, answered with "
                               "its pinned url.",
                "parameters": [
                    {"name": "key", "in": "path", "required": True,
                     "description": "set id (may contain slashes), optionally @version",
                     "schema": {"type": "string"}},
                    _ON,
                    {"name": "province", "in": "query", "required": False,
                     "schema": {"type": "string"}, "description": "a province name or code"},
                    {"name": "If-None-Match", "in": "header", "required": False,
                     "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "the set (pinned) or the resolution",
                            "headers": {"ETag": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"oneOf": [
                                {"$ref": "#/components/schemas/CriteriaSet"},
                                {"$ref": "#/components/schemas/Resolution"}]}}}},
                    "304": {"description": "not modified (the fingerprint matches)"},
                    **_problem_ref(404, 422)}}},
            "/diff": {"get": {
                "operationId": "diffSets", "summary": "what changed between two set versions",
                "parameters": [
                    {"name": "old", "in": "query", "required": True,
                     "schema": {"type": "string"}, "description": "ID@VERSION"},
                    {"name": "new", "in": "query", "required": True,
                     "schema": {"type": "string"}, "description": "ID@VERSION"}],
                "responses": {"200": {"description": "added, removed and changed items",
                                      "content": json_object}, **_problem_ref(404, 422)}}},
            "/coverage": {"get": {
                "operationId": "coverage",
                "summary": "known threshold cells by confidence, per set version",
                "parameters": [{"name": "set", "in": "query", "required": False,
                                "schema": {"type": "string"},
                                "description": "ID@VERSION (default: every version)"}],
                "responses": {"200": {"description": "one entry per set version",
                                      "content": {"application/json": {"schema": {
                                          "type": "array", "items": {"type": "object"}}}}},
                              **_problem_ref(404)}}},
            "/assess": {"post": {
                "operationId": "assess", "summary": "one unit's observations → its trace",
                "parameters": [_SET, _ON, _PROVISIONAL],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Observation"},
                    "example": {"commune": {"code": "00001", "name": "Tứ Dân",
                                            "region": "red_river_delta"},
                                "year": 2024, "observations": {"3.1": 85, "3.2": True}}}}},
                "responses": {"200": {"description": "the ntmkit.trace.v1 trace",
                                      "content": json_object},
                              **_problem_ref(404, 413, 415, 422, 503)}}},
            "/assess/batch": {"post": {
                "operationId": "assessBatch", "summary": "many communes in, verdicts out",
                "description": "Results by Accept: text/csv (default; one row per commune, "
                               "one column per criterion verdict), the same table as an "
                               "Arrow IPC stream (application/vnd.apache.arrow.stream), a "
                               "workbook of verdicts and gaps (application/vnd.openxmlformats-"
                               "officedocument.spreadsheetml.sheet, in the language `lang`) "
                               "or application/x-ndjson (one ntmkit.trace.v1 trace per line).",
                "parameters": [_SET, _ON, _YEAR, _PROVISIONAL, _FILENAME, _LANG],
                "requestBody": _UPLOAD,
                "responses": {"200": {"description": "the verdicts", "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/vnd.apache.arrow.stream": {
                        "schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}},
                    "application/x-ndjson": {"schema": {"type": "string"}}}},
                    **_problem_ref(404, 406, 413, 415, 422, 503)}}},
            "/report": {"post": {
                "operationId": "report", "summary": "many communes in, the HTML report out",
                "parameters": [_SET, _ON, _YEAR, _PROVISIONAL, _FILENAME, _LANG],
                "requestBody": _UPLOAD,
                "responses": {"200": {"description": "a self-contained HTML page",
                                      "content": {"text/html": {"schema": {"type": "string"}}}},
                              **_problem_ref(404, 413, 415, 422, 503)}}},
            "/progress": {"post": {
                "operationId": "progress", "summary": "communes in, progress toward a target out",
                "description": "An upload as for /assess/batch, assessed against `set` (default: "
                               "the set of the target's tier or indicator), or JSON "
                               "{\"tiers\": {code: tier or null}, \"total\": n} of declared "
                               "tiers: current count and share, the count required (in "
                               "integers), how many more are needed, and the candidates "
                               "closest to counting.",
                "parameters": [{"name": "target", "in": "query", "required": True,
                                "schema": {"type": "string"},
                                "description": "a target id (GET /targets)"},
                               _SET, _ON, _YEAR, _FILENAME,
                               {"name": "top", "in": "query", "required": False,
                                "schema": {"type": "integer", "default": 10},
                                "description": "how many candidates to list"}],
                "requestBody": _UPLOAD,
                "responses": {"200": {"description": "the progress", "content": json_object},
                              **_problem_ref(404, 413, 415, 422, 503)}}},
            "/targets": {"get": {"operationId": "listTargets", "summary": "the shipped targets",
                                 "responses": {"200": {"description": "one entry per target",
                                                       "content": json_object}}}},
            "/openapi.json": {"get": {"operationId": "openapi", "summary": "this document",
                                      "responses": {"200": {"description": "OpenAPI 3.1",
                                                            "content": json_object}}}},
            "/docs": {"get": {"operationId": "docs", "summary": "the endpoints, for people",
                              "responses": {"200": {"description": "an HTML page",
                                                    "content": {"text/html": {}}}}}},
            "/page/text": {"get": {
                "operationId": "pageText", "summary": "the words of the web page",
                "description": "The section `page` of ntmkit's message catalogue: "
                               "{\"vi\": {key: text}, \"en\": {key: text}}.",
                "responses": {"200": {"description": "both languages",
                                      "content": json_object}}}},
            "/": {"get": {"operationId": "page", "summary": "the web page for offices",
                          "responses": {"200": {"description": "an HTML page",
                                                "content": {"text/html": {}}}}}},
        },
        "components": {
            "schemas": {
                "Problem": {"type": "object", "required": ["type", "title", "status"],
                            "properties": {
                                "type": {"type": "string"}, "title": {"type": "string"},
                                "status": {"type": "integer"}, "detail": {"type": "string"},
                                "file": {"type": "string"}, "row": {"type": "integer"},
                                "column": {"type": "string"},
                                "indicator": {"type": "string"}, "unit": {"type": "string"},
                                "parameter": {"type": "string"},
                                "limit": {"type": "number"}}},
                "CriteriaSet": {"description": "the canonical JSON of a set version; schema "
                                "criteria-set-canonical.v1.json", "type": "object"},
                "Resolution": {"type": "object", "required": ["set", "url", "fingerprint"],
                               "properties": {
                                   "set": {"type": "string"}, "id": {"type": "string"},
                                   "version": {"type": "string"}, "url": {"type": "string"},
                                   "fingerprint": {"type": "string"},
                                   "on": {"type": "string", "format": "date"},
                                   "province": {"type": ["string", "null"]},
                                   "provincial": {"type": "boolean"},
                                   "reason": {"type": "string"}}},
                "Observation": {"type": "object", "required": ["commune"],
                                "description": "one item of ntmkit.observations.v1",
                                "properties": {"commune": {"type": "object"},
                                               "year": {"type": ["integer", "null"]},
                                               "observations": {"type": "object"}}},
                "Observations": {"description": "schema observations.v1.json",
                                 "type": "object"},
            },
            "responses": {
                f"P{status}": {"description": "a problem (RFC 9457)", "content": {
                    "application/problem+json": {"schema": {
                        "$ref": "#/components/schemas/Problem"}}}}
                for status in (404, 406, 413, 415, 422, 503)
            },
        },
    }


def docs_html() -> str:
    """A plain HTML page listing the endpoints, their parameters and the problem types."""
    e = html.escape
    doc = spec()
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             "<title>ntmkit HTTP service</title><link rel='stylesheet' href='/static/app.css'>",
             "</head><body><main class='docs'><h1>ntmkit HTTP service</h1>",
             "<p>The machine-readable description is <a href='/openapi.json'>/openapi.json</a>"
             " (OpenAPI 3.1). Errors are <code>application/problem+json</code> (RFC 9457). "
             "<a href='/'>Back to the page</a>.</p>"]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            parts.append(f"<section><h2><code>{e(method.upper())} {e(path)}</code></h2>"
                         f"<p>{e(op['summary'])}</p>")
            if "description" in op:
                parts.append(f"<p>{e(op['description'])}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append("<ul>" + "".join(
                    f"<li><code>{e(p['name'])}</code> ({e(p['in'])}"
                    f"{', required' if p.get('required') else ''})"
                    f"{': ' + e(p['description']) if 'description' in p else ''}</li>"
                    for p in params) + "</ul>")
            codes = ", ".join(sorted(op["responses"]))
            parts.append(f"<p>Answers: {e(codes)}</p></section>")
    parts.append("<h2>Problem types</h2><dl>")
    for slug, (status, when) in PROBLEMS.items():
        parts.append(f"<dt id='problem-{e(slug)}'><code>{e(slug)}</code> ({status})</dt>"
                     f"<dd>{e(when)}</dd>")
    parts.append("</dl></main></body></html>")
    return "".join(parts)
