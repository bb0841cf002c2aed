from django.db.models import Q

from cleanprod.accounts.permissions import ADD, READ, Policy, register
from cleanprod.evaluation.models import Assessment, SystemVersion


def register_policies() -> None:
    register(SystemVersion, Policy(reference=True))
    register(
        Assessment,
        Policy(
            region="enterprise__region_id",
            own=lambda u: Q(enterprise_id=u.enterprise_id) if u.enterprise_id else None,
            own_actions=READ | {ADD},
            parties={"agency": lambda u: Q(enterprise__engagements__agency_id=u.agency_id)},
            distinct=True,
        ),
    )
