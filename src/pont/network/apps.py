from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "pont.network"
    label = "network"
    verbose_name = _("The partners' network")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from pont.people.models import Consent

        def withdrawn(sender, instance, update_fields=None, **kwargs) -> None:
            if instance.withdrawn_at is not None and (update_fields is None or "withdrawn_at" in update_fields):
                from pont.network.services import consent_withdrawn

                consent_withdrawn(instance)

        post_save.connect(withdrawn, sender=Consent, dispatch_uid="network-consent-withdrawn", weak=False)
