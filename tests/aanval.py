"""An attacker on disclosure-controlled figures: what can be worked out from what one viewer sees.

The attacker knows how the monitor adds up: a half-year is the sum of its quarters, a year of
its half-years, a region of the municipalities that were its members in the period, a merged
municipality (before it existed) of its predecessors. Every value the viewer obtains is a
constraint on the true counts of the municipalities per quarter (the atoms):

- a published count p, rounded to a multiple of 5 (half up): the true value is p-2 .. p+2;
- a suppressed count ('.', onderdrukt): the true value is 0 .. drempel-1 when it is an atom;
  an aggregate that is suppressed tells nothing (it may be a secondary suppression);
- an exact (raw) value: exactly that.

`Aanvaller.kandidaten(atoom)` gives every value of one atom that is consistent with all
constraints at once (exact integer feasibility with a mixed-integer solver), so a test
can assert that every suppressed quarter keeps at least 3 candidates.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field


@dataclass
class Beperking:
    """sum(atoms) lies in [laag, hoog]."""

    atomen: tuple[Hashable, ...]
    laag: int
    hoog: int
    herkomst: str = ""


@dataclass
class Aanvaller:
    domeinen: dict[Hashable, tuple[int, int]] = field(default_factory=dict)
    beperkingen: list[Beperking] = field(default_factory=list)

    def atoom(self, sleutel: Hashable, laag: int, hoog: int) -> None:
        """An unknown count with its range (intersected with an earlier range of it)."""
        if sleutel in self.domeinen:
            oud_laag, oud_hoog = self.domeinen[sleutel]
            laag, hoog = max(laag, oud_laag), min(hoog, oud_hoog)
        self.domeinen[sleutel] = (laag, hoog)

    def som(self, atomen: Iterable[Hashable], laag: int, hoog: int, herkomst: str = "") -> None:
        atomen = tuple(atomen)
        for a in atomen:
            self.domeinen.setdefault(a, (0, 10**9))
        self.beperkingen.append(Beperking(atomen, laag, hoog, herkomst))

    def gepubliceerd(
        self, atomen: Iterable[Hashable], waarde: int | None, *, afgerond: bool, drempel: int
    ) -> None:
        """What one published answer says about the sum of its atoms."""
        atomen = tuple(atomen)
        if waarde is None:  # suppressed
            if len(atomen) == 1:
                self.atoom(atomen[0], 0, drempel - 1)
            return
        if afgerond:
            self.som(atomen, max(0, waarde - 2), waarde + 2, "afgerond")
        else:
            self.som(atomen, waarde, waarde, "exact")

    # -- exact integer feasibility (mixed-integer programming, HiGHS through SciPy) -------------
    def _model(self):
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint

        index = {a: i for i, a in enumerate(self.domeinen)}
        matrix = np.zeros((len(self.beperkingen), len(index)))
        for rij, b in enumerate(self.beperkingen):
            for a in b.atomen:
                matrix[rij, index[a]] += 1
        laag = np.array([self.domeinen[a][0] for a in index], dtype=float)
        hoog = np.array([self.domeinen[a][1] for a in index], dtype=float)
        grenzen = (
            [
                LinearConstraint(
                    matrix, [b.laag for b in self.beperkingen], [b.hoog for b in self.beperkingen]
                )
            ]
            if self.beperkingen
            else []
        )
        return index, grenzen, Bounds(laag, hoog)

    def _uiterste(self, index, grenzen, bounds, sleutel, teken: int) -> int | None:
        import numpy as np
        from scipy.optimize import milp

        doel = np.zeros(len(index))
        doel[index[sleutel]] = teken
        uitkomst = milp(doel, constraints=grenzen, bounds=bounds, integrality=np.ones(len(index)))
        if uitkomst.status == 2:  # infeasible
            return None
        assert uitkomst.success, uitkomst.message
        return round(uitkomst.x[index[sleutel]])

    def kandidaten(self, sleutel: Hashable) -> list[int]:
        """Every value of the atom consistent with all published answers together."""
        from scipy.optimize import Bounds

        index, grenzen, bounds = self._model()
        laagste = self._uiterste(index, grenzen, bounds, sleutel, 1)
        if laagste is None:
            raise AssertionError("De gepubliceerde cijfers zijn onderling tegenstrijdig.")
        hoogste = self._uiterste(index, grenzen, bounds, sleutel, -1)
        uitkomst = []
        i = index[sleutel]
        for waarde in range(laagste, min(hoogste, laagste + 50) + 1):
            if waarde in (laagste, hoogste):
                uitkomst.append(waarde)
                continue
            laag, hoog = bounds.lb.copy(), bounds.ub.copy()
            laag[i] = hoog[i] = waarde
            if self._uiterste(index, grenzen, Bounds(laag, hoog), sleutel, 1) is not None:
                uitkomst.append(waarde)
        return uitkomst
