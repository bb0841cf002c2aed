"""Guard: every model registered with a policy has a permission case (cleanprod.testing.access).

A new model registered in a ``policies.py`` without a ``PolicyCase`` subclass in its app's
``tests/test_access.py`` fails here, so no policy goes untested.
"""

from __future__ import annotations

import importlib

from django.apps import apps

from cleanprod.testing.access import case_classes, registered_models


def _import_cases() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("cleanprod."):
            continue
        try:
            importlib.import_module(f"{config.name}.tests.test_access")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.test_access" and exc.name != (
                f"{config.name}.tests"
            ):
                raise


def test_every_policy_has_a_case() -> None:
    _import_cases()
    covered = {case.model for case in case_classes() if hasattr(case, "model")}
    missing = sorted(m._meta.label for m in registered_models() - covered)
    assert not missing, (
        f"models with a policy but no PolicyCase in <app>/tests/test_access.py: {missing}"
    )


def test_the_guard_sees_the_registry() -> None:
    """The registry is filled at start-up (AppConfig.ready), so the guard is not vacuous."""
    assert len(registered_models()) >= 40
