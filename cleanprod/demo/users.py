"""Demo users for ``cleanprod demo``: one of each party, bound to synthetic organisations.

They exist only when the demo command made them; production settings never create them.
"""

from __future__ import annotations

import os
from datetime import date

from django.db import transaction

from cleanprod.accounts.models import Department, Party, Role, User
from cleanprod.regions.models import Region
from cleanprod.registry.models import Agency, Engagement, Enterprise, Expert

DEFAULT_DEMO_PASSWORD = "cleanprod-demo-2026"
DEMO_USERNAMES = (
    "demo_national",
    "demo_guangdong",
    "demo_shenzhen",
    "demo_enterprise",
    "demo_agency",
    "demo_expert",
)


def demo_password() -> str:
    return os.environ.get("CLEANPROD_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def build_users() -> dict[str, User]:
    """(Re)create the demo users; the agency serves a few Shenzhen enterprises."""
    User.objects.filter(username__in=DEMO_USERNAMES).delete()
    shenzhen_region = Region.objects.get(code="440300")
    shenzhen = Enterprise.objects.in_region(shenzhen_region).filter(synthetic=True).order_by("pk")
    enterprise = (
        shenzhen.first() or Enterprise.objects.filter(synthetic=True).order_by("pk").first()
    )
    agency = Agency.objects.filter(synthetic=True).order_by("pk").first()
    expert = Expert.objects.filter(synthetic=True, active=True).order_by("pk").first()
    if enterprise is None or agency is None or expert is None:
        raise RuntimeError("build the synthetic registry first")
    agency.published = True
    agency.save(update_fields=["published"])
    clients = [enterprise, *shenzhen.exclude(pk=enterprise.pk)[:4]]
    Engagement.objects.bulk_create(
        Engagement(agency=agency, enterprise=e, start_date=date(2025, 3, 1), synthetic=True)
        for e in clients
    )
    specs = {
        "demo_national": {
            "party": Party.AUTHORITY,
            "department": Department.NDRC,
            "role": Role.ADMINISTRATOR,
            "region_id": None,
        },
        "demo_guangdong": {
            "party": Party.AUTHORITY,
            "department": Department.MEE,
            "role": Role.OFFICER,
            "region_id": "440000",
        },
        "demo_shenzhen": {
            "party": Party.AUTHORITY,
            "department": Department.MEE,
            "role": Role.OFFICER,
            "region_id": "440300",
        },
        "demo_enterprise": {"party": Party.ENTERPRISE, "enterprise": enterprise},
        "demo_agency": {"party": Party.AGENCY, "agency": agency},
        "demo_expert": {"party": Party.EXPERT, "expert": expert},
    }
    password = demo_password()
    users = {}
    for username, fields in specs.items():
        # Reserved .invalid addresses: reminders are "sent" (the console backend of make run
        # prints them) without ever reaching a real mailbox.
        user = User(username=username, email=f"{username}@demo.cleanprod.invalid", **fields)
        user.set_password(password)
        user.save()
        users[username] = user
    return users
