from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring: indicatoren en cijfers")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from monitoring.models import Indicator
        from monitoring.selectors.organisaties import verdeling_gewijzigd
        from regioaanpak.models import Organisatie

        # Who delivers which indicator where is cached (monitoring/selectors/organisaties.py).
        for model in (
            Organisatie,
            Organisatie.werkgebied.through,
            Indicator.organisaties.through,
        ):
            post_save.connect(verdeling_gewijzigd, sender=model, dispatch_uid=f"verdeling-{model}")
            post_delete.connect(
                verdeling_gewijzigd, sender=model, dispatch_uid=f"verdeling-weg-{model}"
            )
        # The figure selector's reference data is kept per process (selectors/referentie.py).
        from monitoring.selectors.referentie import MODELLEN, referentie_gewijzigd

        for model in MODELLEN:
            post_save.connect(
                referentie_gewijzigd, sender=model, dispatch_uid=f"referentie-{model}"
            )
            post_delete.connect(
                referentie_gewijzigd, sender=model, dispatch_uid=f"referentie-weg-{model}"
            )
        for through in (Organisatie.werkgebied.through, Indicator.organisaties.through):
            m2m_changed.connect(
                verdeling_gewijzigd, sender=through, dispatch_uid=f"verdeling-m2m-{through}"
            )
