"""$metadata of the OData feed: an OData v4 CSDL document (XML) made from the entity sets."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from regioaanpak.odata.sets import CONTAINER, NAMESPACE, SETS

EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"


def _element(naam: str, kenmerken: dict[str, str], inhoud: list[str] | None = None) -> list[str]:
    tekst = " ".join(f"{k}={quoteattr(v)}" for k, v in kenmerken.items())
    open_ = f"<{naam} {tekst}" if tekst else f"<{naam}"
    if inhoud is None:
        return [open_ + "/>"]
    return [open_ + ">", *("  " + regel for regel in inhoud), f"</{naam}>"]


def csdl() -> bytes:
    """The service's CSDL: one schema with an entity type per set and one container."""
    schema: list[str] = []
    for s in SETS.values():
        eigenschappen = _element("Key", {}, _element("PropertyRef", {"Name": s.sleutel}))
        for e in s.eigenschappen.values():
            kenmerken = {"Name": e.naam, "Type": e.edm}
            if not e.nullable:
                kenmerken["Nullable"] = "false"
            if e.edm == "Edm.Decimal":
                kenmerken["Scale"] = "variable"
            eigenschappen += _element("Property", kenmerken)
        schema += _element("EntityType", {"Name": s.type_naam}, eigenschappen)
    sets: list[str] = []
    for s in SETS.values():
        sets += _element("EntitySet", {"Name": s.naam, "EntityType": f"{NAMESPACE}.{s.type_naam}"})
    schema += _element("EntityContainer", {"Name": CONTAINER}, sets)
    document = _element(
        "edmx:Edmx",
        {"Version": "4.0", "xmlns:edmx": EDMX},
        _element(
            "edmx:DataServices",
            {},
            _element("Schema", {"Namespace": NAMESPACE, "xmlns": EDM}, schema),
        ),
    )
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(document) + "\n").encode()
