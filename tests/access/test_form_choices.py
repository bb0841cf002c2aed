"""Every form field that offers objects offers only those in the user's view scope (issue 9).

Checked on the registry's add and edit pages for the users who reach them: the object choices
of each form field are compared with ``restrict(user, "view")`` of the offered model (reference
data such as regions and industries is readable by everyone and not checked).
"""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from cleanprod.platform.permissions import policy_for
from cleanprod.testing.access import build_world

PAGES = [
    ("enterprise", "registry:enterprise-edit", "enterprise"),
    ("agency", "registry:agency-edit", "agency"),
    ("expert", "registry:expert-edit", "expert"),
    ("shenzhen", "registry:enterprise-add", None),
    ("shenzhen", "registry:park-add", None),
    ("shenzhen", "registry:agency-add", None),
    ("shenzhen", "registry:expert-add", None),
    ("shenzhen", "registry:enterprise-edit", "enterprise"),
    ("shenzhen", "registry:expert-edit", "expert"),
]


@pytest.mark.django_db
def test_form_choices_lie_in_the_users_scope() -> None:
    world = build_world()
    leaks = []
    for role, url_name, obj in PAGES:
        client = Client()
        client.force_login(world.users[role])
        args = [getattr(world, obj)["sz"].pk] if obj else []
        response = client.get(reverse(url_name, args=args))
        assert response.status_code == 200, (role, url_name, response.status_code)
        form = response.context["form"]
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            policy = policy_for(model)
            if policy is not None and policy.reference:
                continue
            offered = set(field.queryset.values_list("pk", flat=True))
            visible = set(
                model.objects.restrict(world.users[role], "view").values_list("pk", flat=True)
            )
            if offered - visible:
                leaks.append(f"{role} {url_name}.{name}: {len(offered - visible)} out of scope")
    assert not leaks, "form choices out of scope:\n  " + "\n  ".join(leaks)
