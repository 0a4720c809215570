"""Upload potential: how many warheads a posture could add to its launchers, and how fast.

Without a treaty, a side can put stored warheads back on missiles that were
downloaded (the "upload hedge") and refill empty launchers. Per system:

``spare_capacity``
    ``launchers_deployed × (max_warheads_per_launcher − warheads_per_launcher)``;
``redeploy_capacity``
    ``launchers_nondeployed × max_warheads_per_launcher`` (empty silos and tubes,
    spare bombers; assumes missiles for them exist);
``from_storage`` / ``from_reserve``
    warheads that fill that capacity: first the system's own stored warheads,
    then the unassigned reserve, shared out over systems in posture order
    (an upper bound: the model does not check warhead-missile compatibility).

The rate model (an assumption, see :class:`UploadRates`) says what share of
each system's upload is done after a given number of months.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pydantic import Field

from detente.errors import OutsideValidityError
from detente.model.base import ASSUMPTION, Citation, Cited, Float, Frozen, Identifier
from detente.model.force import Category
from detente.model.posture import Posture

if TYPE_CHECKING:
    import pandas as pd

_OWN_RATE = frozenset({"bomber", "slbm", "icbm_mobile", "icbm_silo"})


class UploadRates(Cited):
    """Months to complete an upload, by category: the share done is ``min(1, m / T)``.

    All values are modelling assumptions. Bombers only need weapons brought out
    of base storage; SLBMs are reloaded one submarine at a time as boats return
    from patrol; silo ICBMs need each missile's front section reworked on site,
    which is the slowest; re-deploying empty launchers needs missiles brought
    in and launchers re-certified.
    """

    bomber: Float = Field(default=1.0, gt=0, description="Months for bombers.")
    slbm: Float = Field(default=12.0, gt=0, description="Months for SLBMs.")
    icbm_mobile: Float = Field(default=18.0, gt=0, description="Months for mobile ICBMs.")
    icbm_silo: Float = Field(default=36.0, gt=0, description="Months for silo ICBMs.")
    other: Float = Field(default=12.0, gt=0, description="Months for any other category.")
    redeploy: Float = Field(
        default=36.0, gt=0, description="Months to re-deploy all non-deployed launchers."
    )
    note: str = Field(
        default="Illustrative: bombers upload in weeks, SLBMs over a patrol and refit "
        "cycle, silo ICBMs over years; replace with study-specific values.",
        description="Basis of the rates.",
    )

    def share_done(self, category: Category, months: float) -> float:
        """Share of a category's upload done after ``months``."""
        t = getattr(self, category) if category in _OWN_RATE else self.other
        return min(1.0, months / float(t))

    def redeploy_share_done(self, months: float) -> float:
        """Share of non-deployed launchers re-deployed after ``months``."""
        return min(1.0, months / self.redeploy)


class SystemUpload(Frozen):
    """Upload potential of one system."""

    system: Identifier = Field(description="System id.")
    category: Category = Field(description="System category.")
    spare_capacity: float = Field(ge=0, description="Empty warhead places on deployed launchers.")
    redeploy_capacity: float = Field(
        ge=0, description="Warhead places on non-deployed launchers if re-deployed."
    )
    upload: float = Field(ge=0, description="Warheads that could go on deployed launchers.")
    redeploy: float = Field(ge=0, description="Warheads for re-deployed launchers.")
    from_storage: float = Field(ge=0, description="Own stored warheads used.")
    from_reserve: float = Field(ge=0, description="Unassigned reserve warheads used.")
    potential: float = Field(ge=0, description="Upload plus redeploy: no time limit.")
    by_months: float = Field(ge=0, description="Warheads added within the horizon.")


class Upload(Frozen):
    """Upload potential of a posture within a horizon."""

    posture_id: Identifier = Field(description="Posture id.")
    months: float = Field(ge=0, allow_inf_nan=False, description="Horizon in months.")
    rates: UploadRates = Field(description="Rate model used.")
    systems: tuple[SystemUpload, ...] = Field(description="Per system.")

    @property
    def potential(self) -> float:
        """Warheads that could be added with no time limit."""
        return sum(s.potential for s in self.systems)

    @property
    def by_months(self) -> float:
        """Warheads that could be added within the horizon."""
        return sum(s.by_months for s in self.systems)

    def to_frame(self) -> pd.DataFrame:
        """One row per system."""
        cols = list(SystemUpload.model_fields)
        import pandas as pd

        return pd.DataFrame([s.model_dump() for s in self.systems], columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: totals and one record per system."""
        return {
            "posture": self.posture_id,
            "months": self.months,
            "potential": self.potential,
            "by_months": self.by_months,
            "systems": [s.model_dump() for s in self.systems],
        }


def upload_potential(
    posture: Posture, *, months: float = 12.0, rates: UploadRates | None = None
) -> Upload:
    """Warheads ``posture`` could add to launchers, in total and within ``months``.

    Parameters
    ----------
    posture
        The posture (not modified).
    months
        Horizon in months (``>= 0``).
    rates
        Rate model; the default :class:`UploadRates` is an illustrative assumption.

    Returns
    -------
    Upload
        Per strategic nuclear system: spare and re-deploy capacity, the stored and
        reserve warheads that fill it, the potential and the part done within ``months``.
        Filling deployed launchers comes before re-deploying empty ones.

    Raises
    ------
    OutsideValidityError
        If ``months`` is negative, infinite or not a number.
    """
    try:
        months = float(months)
    except (TypeError, ValueError):
        raise OutsideValidityError(f"months must be a number, got {months!r}") from None
    if not math.isfinite(months) or months < 0:
        raise OutsideValidityError(f"months must be a finite number >= 0, got {months}")
    rates = rates or UploadRates()
    reserve = float(posture.reserve_unassigned)
    out = []
    for s in posture.systems:
        # The upload hedge is a strategic question: non-strategic weapons held in
        # central storage are mated on generation, which the exchange models, and are
        # not a treaty-limited upload.
        if not s.nuclear or s.category == "nonstrategic":
            continue
        spare = s.launchers_deployed * max(
            0.0, s.max_warheads_per_launcher - s.warheads_per_launcher
        )
        redeploy = s.launchers_nondeployed * s.max_warheads_per_launcher
        own = float(s.warheads_stored)
        upload_own = min(spare, own)
        upload_res = min(spare - upload_own, reserve)
        reserve -= upload_res
        own -= upload_own
        redeploy_own = min(redeploy, own)
        redeploy_res = min(redeploy - redeploy_own, reserve)
        reserve -= redeploy_res
        share = rates.share_done(s.category, months)
        re_share = rates.redeploy_share_done(months)
        out.append(
            SystemUpload(
                system=s.id,
                category=s.category,
                spare_capacity=spare,
                redeploy_capacity=redeploy,
                upload=upload_own + upload_res,
                redeploy=redeploy_own + redeploy_res,
                from_storage=upload_own + redeploy_own,
                from_reserve=upload_res + redeploy_res,
                potential=upload_own + upload_res + redeploy_own + redeploy_res,
                by_months=share * (upload_own + upload_res)
                + re_share * (redeploy_own + redeploy_res),
            )
        )
    return Upload(posture_id=posture.id, months=months, rates=rates, systems=tuple(out))


class SystemLoad(Frozen):
    """How one system's load changes when its upload is carried out."""

    system: Identifier = Field(description="System id.")
    launchers_deployed: int = Field(ge=0, description="Deployed launchers (unchanged).")
    load_before: float = Field(ge=0, description="Warheads per deployed launcher before.")
    load_after: float = Field(ge=0, description="Warheads per deployed launcher after.")
    from_storage: int = Field(ge=0, description="Own stored warheads put on launchers.")
    from_reserve: int = Field(ge=0, description="Unassigned reserve warheads put on launchers.")
    stored_after: int = Field(ge=0, description="The system's stored warheads after.")


class Uploaded(Frozen):
    """A posture with its upload carried out, and what changed per system."""

    posture: Posture = Field(description="The posture after the upload.")
    months: float = Field(ge=0, allow_inf_nan=False, description="Horizon in months.")
    loads: tuple[SystemLoad, ...] = Field(description="Systems whose load changed.")


def uploaded_posture(
    posture: Posture, *, months: float = 12.0, rates: UploadRates | None = None
) -> Uploaded:
    """``posture`` with the upload of :func:`upload_potential` done within ``months``.

    Only the upload onto deployed launchers is carried out: each system's load
    rises by the whole warheads moved divided by its deployed launchers, taken
    from its own storage first and then from the unassigned reserve. Re-deploying
    empty launchers (the ``redeploy`` column) changes launcher counts, which this
    does not do; it stays a potential. The fraction of a warhead that an average
    load leaves room for stays in storage, so counts remain whole.

    Parameters
    ----------
    posture
        The posture (not modified).
    months
        Horizon in months; the share of each system's upload done follows ``rates``.
    rates
        Rate model; the default :class:`UploadRates` is an illustrative assumption.

    Returns
    -------
    Uploaded
        The new posture and, per system that changed, its load before and after.
    """
    up = upload_potential(posture, months=months, rates=rates)
    by_id = {s.system: s for s in up.systems}
    reserve = posture.reserve_unassigned
    loads = []
    systems = []
    for system in posture.systems:
        s = by_id.get(system.id)
        if s is None or s.upload <= 0 or system.launchers_deployed == 0:
            systems.append(system)
            continue
        share = up.rates.share_done(system.category, up.months)
        own_upload = min(s.spare_capacity, float(system.warheads_stored))
        own = math.floor(share * own_upload + 1e-9)
        extra = math.floor(share * (s.upload - own_upload) + 1e-9)
        extra = min(extra, reserve)
        reserve -= extra
        if own + extra == 0:
            systems.append(system)
            continue
        load = min(
            system.max_warheads_per_launcher,
            system.warheads_per_launcher + (own + extra) / system.launchers_deployed,
        )
        stored = system.warheads_stored - own
        note = (
            f"Upload within {up.months:g} months (detente.treaty.uploaded_posture): {own} stored "
            f"and {extra} reserve warheads on {system.launchers_deployed} deployed launchers, "
            f"load {system.warheads_per_launcher:g} -> {load:.4g}; the pace is the "
            "illustrative rate model."
        )
        cite = tuple(
            c for c in system.cite if c.field not in ("warheads_per_launcher", "warheads_stored")
        ) + tuple(
            Citation(field=f, source=ASSUMPTION, note=note)
            for f in ("warheads_per_launcher", "warheads_stored")
        )
        systems.append(
            system.model_copy(
                update={"warheads_per_launcher": load, "warheads_stored": stored, "cite": cite}
            )
        )
        loads.append(
            SystemLoad(
                system=system.id,
                launchers_deployed=system.launchers_deployed,
                load_before=system.warheads_per_launcher,
                load_after=load,
                from_storage=own,
                from_reserve=extra,
                stored_after=stored,
            )
        )
    after = Posture.model_validate(
        posture.model_dump() | {"systems": systems, "reserve_unassigned": reserve}
    )
    return Uploaded(posture=after, months=up.months, loads=tuple(loads))
