"""Published reports in the API: never concepts, with their PDF behind the same token."""

from __future__ import annotations

import hashlib

import pytest

from rapportage.choices import RapportSoort
from rapportage.models import Rapport
from tests.factories import periode

pytestmark = pytest.mark.django_db


def test_gepubliceerde_versie_met_link_naar_de_pdf(cijferregios, regiostukken, api_token, api):
    Rapport.objects.create(
        regio=cijferregios["zhz"], periode=periode("2021KW03"), soort=RapportSoort.KWARTAAL
    )  # a concept: never in the API
    lezer = api(api_token(cijferregios["partner"], ["VT24"]))
    data = lezer.get("/api/v1/rapporten/").json()["results"]
    assert [(r["periode"], r["soort"], r["versie"]) for r in data] == [("2021HJ01", "halfjaar", 1)]
    assert data[0]["gepubliceerd_door"] == "bart-beleid"
    # A partner gets the protected edition only.
    assert data[0]["editie"] == "afgeschermd"
    assert [e["editie"] for e in data[0]["edities"]] == ["afgeschermd"]
    pdf = lezer.get(data[0]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == b"%PDF-1.7 afgeschermd"
    assert hashlib.sha256(pdf.content).hexdigest() == data[0]["sha256"]
    intern_url = data[0]["pdf"].replace("editie=afgeschermd", "editie=intern")
    assert lezer.get(intern_url).status_code == 404
    assert api().get(data[0]["pdf"]).status_code == 401
    # The region's own official gets the internal edition, and may fetch the protected one.
    beleid = api(api_token(cijferregios["beleid"], ["VT24"]))
    eigen = beleid.get("/api/v1/rapporten/").json()["results"][0]
    assert eigen["editie"] == "intern"
    assert [e["editie"] for e in eigen["edities"]] == ["intern", "afgeschermd"]
    assert beleid.get(eigen["pdf"]).content == b"%PDF-1.7 rapport"
