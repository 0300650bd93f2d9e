"""The models of the regional approach: the approach itself (aanpak.py) and its goal tree with
effect indicators and judgements (doelen.py)."""

from actielijnen.models.aanpak import (
    Actielijn,
    Begrotingspost,
    Mijlpaal,
    MijlpaalStand,
    PlanningFase,
    Project,
    Regioaanpak,
    Voortgangsupdate,
)
from actielijnen.models.doelen import Effectindicator, Effectoordeel, Impact, StrategischDoel

__all__ = [
    "Actielijn",
    "Begrotingspost",
    "Effectindicator",
    "Effectoordeel",
    "Impact",
    "Mijlpaal",
    "MijlpaalStand",
    "PlanningFase",
    "Project",
    "Regioaanpak",
    "StrategischDoel",
    "Voortgangsupdate",
]
