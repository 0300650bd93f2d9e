"""Finishing touches on the generated OpenAPI schema: the same whatever the database, the errors
every operation can answer,
and CSV answers described as text (they are streamed, not a paginated JSON object)."""

from __future__ import annotations

FOUT = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "De reden, in het Nederlands."}},
    "required": ["detail"],
}
VALIDATIEFOUT = {
    "type": "object",
    "description": "Per parameter of veld de redenen, in het Nederlands.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
STANDAARD_FOUTEN = {
    "401": "Geen, een onbekend, een verlopen of een ingetrokken token.",
    "403": "Het token of de gebruiker mag dit niet (andere regio, alleen lezen).",
    "404": "Niet gevonden, of buiten de eigen regio's.",
    "429": "Te veel verzoeken met dit token; probeer het na de genoemde tijd opnieuw.",
}


# Django gives integer fields the range of the database (SQLite 64 bits, PostgreSQL 16 or 32
# bits); the committed schema must be the same whichever database generated it.
_DATABASEGRENZEN = {2**15 - 1, 2**31 - 1, 2**63 - 1, -(2**15), -(2**31), -(2**63)}


def _zonder_databasegrenzen(knoop) -> None:
    if isinstance(knoop, dict):
        if knoop.get("type") == "integer":
            for grens in ("maximum", "minimum"):
                if knoop.get(grens) in _DATABASEGRENZEN:
                    del knoop[grens]
            if knoop.get("format") == "int64":
                del knoop["format"]
        for waarde in knoop.values():
            _zonder_databasegrenzen(waarde)
    elif isinstance(knoop, list):
        for waarde in knoop:
            _zonder_databasegrenzen(waarde)


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def werk_schema_af(result, generator, request, public):
    _zonder_databasegrenzen(result)
    result["components"]["schemas"]["Fout"] = FOUT
    result["components"]["schemas"]["Validatiefout"] = VALIDATIEFOUT
    for pad in result.get("paths", {}).values():
        for methode, operatie in pad.items():
            if methode not in {"get", "post", "put", "patch", "delete"}:
                continue
            antwoorden = operatie.setdefault("responses", {})
            for code, antwoord in antwoorden.items():
                inhoud = antwoord.get("content", {})
                if "text/csv" in inhoud:
                    inhoud["text/csv"] = {
                        "schema": {
                            "type": "string",
                            "description": "CSV met kopregel, punt als decimaalteken, '.' voor "
                            "een geheime of onderdrukte waarde; gestreamd, zonder paginering.",
                        }
                    }
                if code.startswith("4") and not inhoud:
                    antwoord["content"] = _json({"$ref": "#/components/schemas/Fout"})
            if "400" not in antwoorden:
                antwoorden["400"] = {
                    "description": "Een parameter of veld is onjuist.",
                    "content": _json({"$ref": "#/components/schemas/Validatiefout"}),
                }
            extra = {}
            if methode == "post":
                extra["415"] = "Een Content-Type dat dit adres niet leest."
            for code, omschrijving in {**STANDAARD_FOUTEN, **extra}.items():
                antwoorden.setdefault(
                    code,
                    {
                        "description": omschrijving,
                        "content": _json({"$ref": "#/components/schemas/Fout"}),
                    },
                )
    return result
