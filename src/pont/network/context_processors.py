"""The network's in-app notification: how many referrals wait for an answer from the user's organisations
(shown beside the Network menu; counted only on the pages whose menu shows it)."""

from __future__ import annotations

from pont.core import access
from pont.core.roles import Role
from pont.network.choices import ReferralStatus
from pont.network.models import Referral


def inbox(request):
    user = getattr(request, "user", None)

    def waiting() -> int:
        if user is None or not user.is_authenticated:
            return 0
        orgs = access.organisation_ids(user, Role.ADVISER)
        return Referral.objects.filter(to_organisation_id__in=orgs, status=ReferralStatus.SENT).count() if orgs else 0

    return {"network_waiting": waiting}
