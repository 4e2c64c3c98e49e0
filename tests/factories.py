"""Factories for every model. Records are built through the ORM for speed; tests of the
rules call the services themselves."""

import datetime

import factory
from django.utils import timezone

from vorsprung.accounts.choices import Role
from vorsprung.accounts.models import Team, User
from vorsprung.activities.models import Activity
from vorsprung.core.normalisers import company_key
from vorsprung.customers.models import Contact, Organization
from vorsprung.leads.models import Lead
from vorsprung.sales.models import Opportunity, Pipeline, Stage


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.SALES_REP
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    role = Role.ADMIN


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Faker("company")
    name_key = factory.LazyAttribute(lambda o: company_key(o.name))
    owner = factory.SubFactory(UserFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SelfAttribute("organization.owner")


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"lead{n}@prospect{n}.example")
    company = factory.Faker("company")
    owner = factory.SubFactory(UserFactory)


def default_pipeline() -> Pipeline:
    return Pipeline.objects.get(is_default=True)


def stage_named(name: str, pipeline: Pipeline | None = None) -> Stage:
    return (pipeline or default_pipeline()).stages.get(name=name)


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    name = factory.Faker("catch_phrase")
    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SelfAttribute("organization.owner")
    pipeline = factory.LazyFunction(default_pipeline)
    stage = factory.LazyAttribute(lambda o: o.pipeline.stages.order_by("position").first())
    probability = factory.LazyAttribute(lambda o: o.stage.probability)
    forecast_category = factory.LazyAttribute(lambda o: o.stage.forecast_category)
    currency = "EUR"
    amount = 10000
    expected_close_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = "call"
    subject = factory.Faker("sentence", nb_words=4)
    lead = factory.SubFactory(LeadFactory)
    owner = factory.SelfAttribute("lead.owner")
