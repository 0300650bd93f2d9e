"""Template filters of the one presentation layer (regioaanpak.opmaak): {% load opmaak %}.

{{ datum|datum }} 1 december 2026 · {{ moment|tijdstip }} 1 december 2026 om 22:20 ·
{{ bedrag|bedrag }} € 12.500 · {{ bedrag|bedrag:2 }} € 12.500,00 · {{ getal|getal }} 1.234,5 ·
{{ getal|getal:2 }} 1.234,50 · {{ sha|sha_kort }} the first 12 characters.
"""

from django import template

from regioaanpak import opmaak

register = template.Library()


@register.filter
def datum(waarde):
    return opmaak.datum(waarde)


@register.filter
def tijdstip(waarde):
    return opmaak.tijdstip(waarde)


@register.filter
def bedrag(waarde, decimalen=0):
    return opmaak.bedrag(waarde, int(decimalen))


@register.filter
def getal(waarde, decimalen=None):
    return opmaak.getal(waarde, None if decimalen in (None, "") else int(decimalen))


@register.filter
def sha_kort(waarde):
    return opmaak.sha_kort(waarde)
