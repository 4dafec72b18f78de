"""The core API: who am I, and the partner organisations."""

from __future__ import annotations

from ninja import Router, Schema

from pont.core import access
from pont.core.schemas import errors
from pont.core.selectors import organisations_visible_to

router = Router(tags=["core"])


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: str


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    language: str
    roles: list[str]
    memberships: list[MembershipOut]


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    regions: list[str]


@router.get("/me", response={200: MeOut, **errors(found=False)},
            summary="The acting user, their roles and organisations")
def me(request):
    user = request.auth
    memberships = [
        MembershipOut(organisation_id=m.organisation_id, organisation=m.organisation.name, role=m.role)
        for m in user.memberships.select_related("organisation")
    ]
    return MeOut(id=user.pk, username=user.username, first_name=user.first_name, last_name=user.last_name,
                 language=user.language, roles=sorted(access.roles(user)), memberships=memberships)


@router.get("/organisations", response={200: list[OrganisationOut], **errors(found=False)},
            summary="Partner organisations")
def organisations(request):
    return [
        OrganisationOut(id=o.pk, name=o.name, kind=o.kind, country=o.country,
                        regions=[r.code for r in o.regions.all()])
        for o in organisations_visible_to(request.auth)
    ]
