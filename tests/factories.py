"""factory_boy factories for Pont's models. Tests build their own small worlds from these."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from pont.core.models import Membership, Municipality, Organisation, Region, User
from pont.core.roles import OrganisationKind, Role
from pont.people.duplicates import normalise
from pont.people.models import LegalStatus, Person, PersonFile, PersonLanguage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")
    language = "en"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.EMPLOYMENT_SERVICE
    country = "BE"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ADVISER


def region(code: str = "BE25") -> Region:
    return Region.objects.get(code=code)


def municipality(name: str = "Kortrijk") -> Municipality:
    return Municipality.objects.select_related("region").get(name=name)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"T-{n:06d}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    search_name = factory.LazyAttribute(lambda p: normalise(f"{p.given_name} {p.family_name}"))
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30 * 365))
    sex = "M"
    nationality = "SY"
    region = factory.LazyFunction(region)

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if create and extracted is not None:
            PersonFile.objects.create(person=self, organisation=extracted)


class LegalStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalStatus

    person = factory.SubFactory(PersonFactory)
    status = "recognised_refugee"
    country = "BE"
    start_date = dt.date(2024, 3, 12)


class PersonLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonLanguage

    person = factory.SubFactory(PersonFactory)
    code = "ara"
    level = "native"
