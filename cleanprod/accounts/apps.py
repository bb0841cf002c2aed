from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cleanprod.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Models and policies load once the app registry is ready.
        from cleanprod.accounts import tokens
        from cleanprod.accounts.policies import register_policies

        register_policies()
        tokens.connect()
