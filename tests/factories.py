import factory
from django.contrib.auth import get_user_model

from servicedesk.models import Customer, Mall, StaffMembership
from servicedesk.roles import CHAIN_ROLES, Role


class MallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mall
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"M{n:03d}")
    name = factory.Sequence(lambda n: f"测试商场{n}")
    city = "上海"
    address = "上海市普陀区真北路1108号"
    service_phone = "021-52700000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "测试员"
    password = factory.django.Password("correct-horse-2026")


def make_staff(role, mall=None, **user_fields):
    """A user holding `role` in `mall` (chain roles take no mall)."""
    role = Role(role)
    user = UserFactory(**user_fields)
    StaffMembership.objects.create(user=user, mall=None if role in CHAIN_ROLES else mall, role=role)
    return user


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    mall = factory.SubFactory(MallFactory)
    name = factory.Sequence(lambda n: f"顾客{n}")
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    address = "上海市普陀区金沙江路100号"
