"""One answer to "who acts, for which organisation, and may they?" (pont.core.access)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from pont.core import access
from pont.core.roles import Role
from tests.factories import MembershipFactory, PersonFactory


def test_a_user_acts_for_their_only_organisation_in_a_role(users, orgs):
    assert access.acting_organisation(users["adviser"], role=Role.ADVISER) == orgs["vdab"]


def test_a_role_the_user_does_not_hold_answers_not_found(users):
    with pytest.raises(Http404):
        access.acting_organisation(users["coordinator"], role=Role.ADVISER)


def test_with_a_person_it_is_the_organisation_holding_their_file(users, orgs, person, foreign_person):
    adviser = users["adviser"]
    MembershipFactory(user=adviser, organisation=orgs["forem"], role=Role.ADVISER)
    access.forget(adviser)
    assert access.acting_organisation(adviser, role=Role.ADVISER, person=person) == orgs["vdab"]
    assert access.acting_organisation(adviser, role=Role.ADVISER, person=foreign_person) == orgs["forem"]


def test_with_a_person_out_of_scope_it_answers_not_found(users, foreign_person):
    with pytest.raises(Http404):
        access.acting_organisation(users["adviser"], role=Role.ADVISER, person=foreign_person)


def test_an_adviser_of_several_organisations_must_choose_and_may_only_choose_theirs(users, orgs):
    adviser = users["adviser"]
    MembershipFactory(user=adviser, organisation=orgs["forem"], role=Role.ADVISER)
    access.forget(adviser)
    with pytest.raises(ValidationError) as refused:
        access.acting_organisation(adviser, role=Role.ADVISER)
    assert "organisation" in refused.value.message_dict
    assert access.acting_organisation(adviser, role=Role.ADVISER, chosen=orgs["forem"].pk) == orgs["forem"]
    with pytest.raises(Http404):
        access.acting_organisation(adviser, role=Role.ADVISER, chosen=orgs["company"].pk)


def test_a_closed_file_takes_the_person_out_of_scope(users, orgs):
    from django.utils import timezone

    person = PersonFactory(organisation=orgs["vdab"])
    person.files.update(closed_at=timezone.now())
    assert not access.follows(users["adviser"], person)
    with pytest.raises(Http404):
        access.require(users["adviser"], "people.change_person", person)


def test_memberships_are_read_once_per_user_object(users, django_assert_num_queries):
    adviser = users["adviser"]
    access.forget(adviser)
    with django_assert_num_queries(1):
        assert access.holds(adviser, Role.ADVISER)
        assert access.organisation_ids(adviser, Role.ADVISER)
        assert not access.holds(adviser, Role.COORDINATOR)


@pytest.mark.parametrize(("role", "allowed"), [("adviser", True), ("other_adviser", False), ("coordinator", False),
                                               ("dispatcher", False), ("employer", False)])
def test_change_person_is_for_advisers_following_the_person(users, person, role, allowed):
    assert access.can(users[role], "people.change_person", person) is allowed
