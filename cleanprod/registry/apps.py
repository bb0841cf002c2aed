from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "cleanprod.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.registry.policies import register_policies

        register_policies()
        # Connects the industry-group cache's invalidation in every process, loaders included.
        import cleanprod.registry.api.groups  # noqa: F401
