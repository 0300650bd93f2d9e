"""The report rendered: HTML and PDF show the same figures, with page numbers and contents."""

from __future__ import annotations

import html
import re

import pytest

from rapportage.grafieken import lijngrafiek, staafgrafiek
from rapportage.selectors import rapportgegevens
from rapportage.weergave import concept_meta, rapport_html_document, rapport_pdf
from regioaanpak.inzage import Inzage
from tests.rapportage.conftest import pdf_tekst, platte_tekst

INTERN = Inzage.intern("VT24")
CONCEPT = Inzage.intern("VT24", met_ingediend=True)

pytestmark = pytest.mark.django_db


def _html_tekst(document: str) -> str:
    zonder_stijl = re.sub(r"<(style|svg)[^>]*>.*?</\1>", "", document, flags=re.S)
    return platte_tekst(html.unescape(re.sub(r"<[^>]+>", " ", zonder_stijl)))


def _tabelcellen(document: str, tabel_id: str) -> list[str]:
    blok = re.search(rf'<table class="tabel" id="{tabel_id}">.*?</table>', document, re.S)
    assert blok, tabel_id
    return [
        platte_tekst(html.unescape(re.sub(r"<[^>]+>", "", c))).strip()
        for c in re.findall(r'<td class="getal"[^>]*>(.*?)</td>', blok.group(0), re.S)
    ]


@pytest.fixture
def kwartaal(zuid_holland_zuid):
    return rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=INTERN)


def test_pdf_en_html_tonen_dezelfde_kerncijfers(kwartaal):
    meta = concept_meta(kwartaal)
    document = rapport_html_document(kwartaal, meta)
    tekst = platte_tekst(pdf_tekst(rapport_pdf(kwartaal, meta)))

    cellen = _tabelcellen(document, "kerncijfers") + _tabelcellen(document, "gemeenten")
    assert "416" in cellen
    for cel in cellen:
        # Every figure of the HTML tables is in the PDF text, character for character.
        getal = cel.split(" (")[0]
        assert getal in tekst, getal
    assert "Dordrecht" in tekst and "Papendrecht" in tekst


def test_pdf_heeft_paginanummers_inhoudsopgave_en_lopende_kop(kwartaal):
    tekst = platte_tekst(pdf_tekst(rapport_pdf(kwartaal, concept_meta(kwartaal))))

    aantal = int(re.search(r"pagina 1 van (\d+)", tekst).group(1))
    assert aantal >= 5
    assert f"pagina {aantal} van {aantal}" in tekst
    # The table of contents with the page each chapter starts on.
    assert re.search(r"Samenvatting\s*\.+\s*\d+", tekst)
    assert re.search(r"Colofon\s*\.+\s*\d+", tekst)
    assert "Zuid-Holland Zuid — kwartaalrapportage 3e kwartaal 2022" in tekst


def test_html_toont_de_tekens_uitgelegd_in_het_colofon(kwartaal):
    tekst = _html_tekst(rapport_html_document(kwartaal, concept_meta(kwartaal)))

    assert "geheim" in tekst and "voorlopig cijfer" in tekst
    assert "1 juli 2022 tot en met 30 september 2022" in tekst
    assert "Veilig Thuis ZHZ" in tekst


def test_grafieken_zijn_svg_met_nederlandse_getallen():
    staaf = staafgrafiek(
        "Meldingen per 1.000",
        [("Dordrecht", [{"waarde": "2.6700", "tekst": "2,67"}]), ("Papendrecht", [None])],
        ["meldingen"],
        decimalen=2,
    )
    lijn = lijngrafiek(
        "Verloop",
        ["2021 H1", "2021 H2"],
        [("Regio", [{"waarde": "1.5", "tekst": "1,5"}, None])],
    )

    assert staaf.startswith("<svg") and "2,67" in staaf and "geen gegevens" in staaf
    assert "#0072B2" in staaf  # Okabe-Ito blue
    assert "<polyline" not in lijn  # one point is no line; the gap stays a gap
    assert "2021 H1" in lijn


def test_halfjaarrapportage_met_risicoprofiel(zuid_holland_zuid):
    from decimal import Decimal

    from monitoring.models import Risicofactorwaarde
    from regioaanpak.models import Lidmaatschap

    leden = list(
        Lidmaatschap.objects.filter(regio=zuid_holland_zuid).values_list("gemeente_id", flat=True)
    )
    assert len(leden) == 2
    zonder = rapportgegevens(zuid_holland_zuid, "2022HJ02", "halfjaar", inzage=INTERN)
    assert zonder["risicoprofiel"] is None
    assert "Risicoprofiel" not in rapport_html_document(zonder, concept_meta(zonder))
    for i, code in enumerate(leden):
        Risicofactorwaarde.objects.create(
            regio=zuid_holland_zuid,
            gemeente_id=code,
            factor="Werkloosheidspercentage",
            peiljaar=2021,
            waarde=Decimal(3 + i),
            richting=1,
            bron="CBS StatLine",
        )
    gegevens = rapportgegevens(zuid_holland_zuid, "2022HJ02", "halfjaar", inzage=INTERN)
    assert [r["rang"] for r in gegevens["risicoprofiel"]["rijen"]] == [1, 2]
    assert gegevens["risicoprofiel"]["rijen"][0]["gemeente"] == leden[-1]
    tekst = pdf_tekst(rapport_pdf(gegevens, concept_meta(gegevens)))
    # Two municipalities, 3 and 4 %: z = -1 and +1.
    assert "Risicoprofiel" in tekst and "1,00" in tekst and "-1,00" in tekst
