"""The OpenAPI 3.1 description of the case digest API, written by hand as a Python dict.

The enumerations come from the controlled lists, so the document cannot drift from what the API
accepts; a test checks that every documented parameter is accepted and every route documented.
"""

from __future__ import annotations

from typing import Any

from app.digest import browse, vocab
from app.digest.exports import SEARCH_PAGE
from app.digest.models import CaseStatus
from app.digest.vocab import QUANTITIES
from app.search import MAX_QUERY_CHARS

TEXT = {"type": "string"}
CODES = {"type": "array", "items": {"type": "string"}}
TEXTS = {"type": "array", "items": {"type": "string"}}
NUMBERS = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 100}}


def _facet(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description + " Repeat the parameter for several values (they widen).",
        "schema": {"type": "array", "items": schema, "maxItems": browse.MAX_VALUES},
        "style": "form",
        "explode": True,
    }


def _enum(codes: Any) -> dict[str, Any]:
    return {"type": "string", "enum": sorted(codes)}


def _parameters() -> list[dict[str, Any]]:
    year = {"type": "integer", "minimum": browse.YEARS[0], "maximum": browse.YEARS[1]}
    return [
        {"name": "q", "in": "query", "required": False,
         "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS},
         "description": "Search text (accents ignored, English stemming). `field:value` works "
                        "for the facet fields and kind, offence, year."},
        _facet("country", "Country code: the country name in lower case, accents removed, "
               "words joined by hyphens (`turkiye`, `bosnia-and-herzegovina`).",
               {"type": "string", "pattern": browse.VALUE_RE.pattern}),
        _facet("region", "Region code.", _enum(browse.CONTROLLED["region"])),
        _facet("modus_operandi", "Modus operandi code.", _enum(vocab.MODUS_OPERANDI)),
        _facet("weapon", "Weapon code.", _enum(vocab.WEAPONS)),
        _facet("article", "Article code: `protocol-N` (Firearms Protocol) or `convention-N` "
               "(Organized Crime Convention).",
               {"type": "string", "pattern": r"^(protocol|convention)-[0-9]{1,3}$"}),
        _facet("link", "Link to other crime.", _enum(vocab.LINKS)),
        _facet("technique", "Investigative technique.", _enum(vocab.TECHNIQUES)),
        _facet("outcome", "Outcome.", _enum(vocab.OUTCOMES)),
        {"name": "year_from", "in": "query", "required": False, "schema": year,
         "description": "Earliest year of decision (inclusive). When it is after "
                        "`year_to`, the two are swapped and `notice` says so."},
        {"name": "year_to", "in": "query", "required": False, "schema": year,
         "description": "Latest year of decision (inclusive); see `year_from`."},
        {"name": "sort", "in": "query", "required": False, "schema": _enum(browse.SORTS),
         "description": "Order: `relevance` (default with search text) or `newest` (default "
                        "without), `oldest`."},
        {"name": "page", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1},
         "description": "Page of results."},
        {"name": "per_page", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": SEARCH_PAGE,
                    "default": browse.PER_PAGE},
         "description": "Cases per page."},
    ]  # fmt: skip


def _case_schema() -> dict[str, Any]:
    nullable_text = {"type": ["string", "null"]}
    properties: dict[str, Any] = {
        "slug": TEXT,
        "url": {"type": "string", "format": "uri", "description": "The case's page."},
        "title": TEXT,
        "kind": _enum(vocab.KINDS),
        "status": _enum({status.value for status in CaseStatus}),
        "country": TEXT,
        "region": _enum(vocab.REGIONS),
        "court": TEXT,
        "court_level": _enum(vocab.COURT_LEVELS),
        "decision_date": {**nullable_text, "format": "date",
                          "description": "The day of the decision (for an operation, its last "
                                         "day); null for an illustrative case, which has only "
                                         "a year."},
        "decision_year": {"type": ["integer", "null"],
                          "description": "The year of the decision: from `decision_date`, or "
                                         "the only date an illustrative case has."},
        "stage": _enum(vocab.STAGES),
        "outcome": _enum(vocab.OUTCOMES),
        "offences": {"type": "array", "items": _enum(vocab.OFFENCES)},
        "protocol_articles": NUMBERS,
        "convention_articles": NUMBERS,
        "modus_operandi": {"type": "array", "items": _enum(vocab.MODUS_OPERANDI)},
        "weapons": {"type": "array", "items": _enum(vocab.WEAPONS)},
        "quantities": {
            "type": "object",
            "properties": {key: {"type": "integer", "minimum": 0} for key in QUANTITIES},
            "additionalProperties": False,
            "description": "Quantities seized; only those given.",
        },
        "route_origin": TEXTS,
        "route_transit": TEXTS,
        "route_destination": TEXTS,
        "links": {"type": "array", "items": _enum(vocab.LINKS)},
        "techniques": {"type": "array", "items": _enum(vocab.TECHNIQUES)},
        "sentences": TEXTS,
        "illustrative": {"type": "boolean",
                         "description": "True: an illustrative case, a composite written to "
                                        "teach; not a real case and not citable."},
        "restricted": {"type": "boolean",
                       "description": "Practitioners only; never shown to anyone else."},
        "sources": CODES,
        "modules": CODES,
        "summary": {"type": "string", "description": "The Summary section, in Markdown."},
    }  # fmt: skip
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def document() -> dict[str, Any]:
    error = {"$ref": "#/components/schemas/Error"}
    errors = {
        "400": {"description": "A parameter is unknown or malformed.",
                "content": {"application/json": {"schema": error}}},
        "429": {"description": "Too many requests: wait and try again.",
                "content": {"application/json": {"schema": error}}},
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Case digest API",
            "version": "1.0.0",
            "description": "Read-only access to the case digests of the Firearms Practitioners' "
            "Platform. Public cases need no session; restricted cases are returned only to "
            "signed-in practitioners, moderators and admins (session cookie).",
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/cases": {
                "get": {
                    "operationId": "listCases",
                    "summary": "Search the case digests (the filters of the /cases page)",
                    "parameters": _parameters(),
                    "responses": {
                        "200": {
                            "description": "One page of matching cases.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CaseList"}
                                }
                            },
                        },
                        **errors,
                    },
                }
            },
            "/api/v1/cases/{slug}": {
                "get": {
                    "operationId": "getCase",
                    "summary": "One case digest with its full text",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": browse.VALUE_RE.pattern},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The case.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CaseDetail"}
                                }
                            },
                        },
                        "404": {
                            "description": "No such case, or not visible to you.",
                            "content": {"application/json": {"schema": error}},
                        },
                        **errors,
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "getOpenAPI",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": _schemas()},
    }


def _schemas() -> dict[str, Any]:
    case = _case_schema()
    detail = {
        "allOf": [
            {"$ref": "#/components/schemas/Case"},
            {"type": "object", "required": ["body"],
             "properties": {"body": {"type": "string", "description": "Markdown text."}}},
        ]
    }  # fmt: skip
    facet = {
        "type": "array",
        "items": {"type": "object", "required": ["value", "count"],
                  "properties": {"value": TEXT, "count": {"type": "integer"}}},
    }  # fmt: skip
    listing = {
        "type": "object",
        "required": ["total", "page", "pages", "per_page", "cases", "facets", "notice"],
        "properties": {
            "total": {"type": "integer", "description": "Matching cases you may see."},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "per_page": {"type": "integer"},
            "notice": {"type": ["string", "null"],
                       "description": "Set when the search text was simplified."},
            "cases": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}},
            "facets": {"type": "object", "additionalProperties": facet,
                       "description": "Counts per facet value, for the same filters."},
        },
    }  # fmt: skip
    error = {
        "type": "object",
        "required": ["error", "message", "status"],
        "properties": {"error": TEXT, "message": TEXT, "status": {"type": "integer"}},
    }
    return {"Case": case, "CaseDetail": detail, "CaseList": listing, "Error": error}
