from django.db.models import Q

from cleanprod.evaluation.models import Assessment, SystemVersion
from cleanprod.platform.permissions import ADD, READ, Policy, register
from cleanprod.registry.policies import active_clients


def register_policies() -> None:
    register(SystemVersion, Policy(reference=True))
    register(
        Assessment,
        Policy(
            region="enterprise__region_id",
            own=lambda u: Q(enterprise_id=u.enterprise_id) if u.enterprise_id else None,
            own_actions=READ | {ADD},
            # An agency reads its clients' assessments only while the engagement is active.
            parties={"agency": lambda u: Q(enterprise_id__in=active_clients(u.agency_id))},
        ),
    )
