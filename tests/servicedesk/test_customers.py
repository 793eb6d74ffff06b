import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from servicedesk.models import Customer
from servicedesk.phones import mask_phone, normalise_mobile, validate_mobile, validate_phone
from servicedesk.roles import Role
from servicedesk.services import customer_find_or_create, customer_update
from tests.factories import CustomerFactory


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
    ],
)
def test_mobile_is_normalised(typed, expected):
    assert normalise_mobile(typed) == expected


@pytest.mark.parametrize("good", ["13012345678", "13812345678", "19912345678", "15000000000"])
def test_valid_mobiles(good):
    validate_mobile(good)


@pytest.mark.parametrize("bad", ["", "12812345678", "1381234567", "138123456789", "23812345678", "1381234567a"])
def test_invalid_mobiles_say_why_in_chinese(bad):
    with pytest.raises(ValidationError) as error:
        validate_mobile(bad)
    assert "11位" in error.value.messages[0]


@pytest.mark.parametrize("good", ["021-62345678", "02162345678", "0510-8270000", "13812345678"])
def test_other_phone_accepts_landlines_with_area_code(good):
    validate_phone(good)


@pytest.mark.parametrize("bad", ["62345678", "021-623", "1-800-123", "abc"])
def test_other_phone_refuses_numbers_without_area_code(bad):
    with pytest.raises(ValidationError):
        validate_phone(bad)


def test_masking():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-62345678") == "021-62**5678"
    assert mask_phone("") == ""


@pytest.mark.django_db
def test_find_or_create_deduplicates_by_normalised_mobile(mall, staff):
    desk = staff(Role.FRONT_DESK)
    first, created = customer_find_or_create(mall=mall, name="张三", mobile="138 1234 5678", actor=desk)
    again, created_again = customer_find_or_create(
        mall=mall, name="张先生", mobile="+8613812345678", address="真北路1号", actor=desk
    )
    assert created and not created_again
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.name == "张三", "a returning customer is never silently renamed"
    assert again.address == "真北路1号", "blank fields are filled from what was typed"
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_same_mobile_in_two_malls_is_two_customers(mall, other_mall, staff):
    customer_find_or_create(mall=mall, name="张三", mobile="13812345678", actor=staff(Role.FRONT_DESK))
    other_desk = staff(Role.FRONT_DESK, in_mall=other_mall)
    customer_find_or_create(mall=other_mall, name="张三", mobile="13812345678", actor=other_desk)
    assert Customer.objects.count() == 2


@pytest.mark.django_db
def test_bad_mobile_saves_nothing(mall, staff):
    with pytest.raises(ValidationError) as error:
        customer_find_or_create(mall=mall, name="张三", mobile="12345", actor=staff(Role.FRONT_DESK))
    assert "mobile" in error.value.message_dict
    assert not Customer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PRICE_TAG_OFFICER, Role.HEAD_OFFICE])
def test_roles_that_do_not_record_customers_are_refused(role, mall, staff):
    with pytest.raises(PermissionDenied):
        customer_find_or_create(mall=mall, name="张三", mobile="13812345678", actor=staff(role))
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_front_desk_of_another_mall_cannot_create_here(mall, other_mall, staff):
    with pytest.raises(PermissionDenied):
        customer_find_or_create(
            mall=mall, name="张三", mobile="13812345678", actor=staff(Role.FRONT_DESK, in_mall=other_mall)
        )


@pytest.mark.django_db
def test_changing_to_a_mobile_already_used_is_refused(mall, staff):
    CustomerFactory(mall=mall, mobile="13900000000")
    customer = CustomerFactory(mall=mall, mobile="13812345678")
    with pytest.raises(ValidationError):
        customer_update(customer=customer, actor=staff(Role.FRONT_DESK), mobile="139 0000 0000")
    customer.refresh_from_db()
    assert customer.mobile == "13812345678"


@pytest.mark.django_db
def test_register_form_shows_the_error_next_to_the_field(client, mall, staff):
    client.force_login(staff(Role.FRONT_DESK))
    response = client.post(reverse("customers:create"), {"name": "张三", "mobile": "1234", "other_phone": "62345678"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "mobile" in form.errors and "other_phone" in form.errors
    assert "11位" in response.content.decode()
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_register_form_creates_then_finds_the_same_customer(client, mall, staff):
    client.force_login(staff(Role.FRONT_DESK))
    data = {"name": "张三", "mobile": "138-1234-5678", "other_phone": "021 62345678", "address": "", "notes": ""}
    first = client.post(reverse("customers:create"), data)
    second = client.post(reverse("customers:create"), data | {"name": "别名"})
    customer = Customer.objects.get()
    assert first.url == second.url == reverse("customers:detail", args=[customer.pk])
    assert customer.mobile == "13812345678"
    assert customer.other_phone == "02162345678"


@pytest.mark.django_db
def test_customer_list_masks_phones_and_costs_fixed_queries(client, mall, staff, django_assert_max_num_queries):
    client.force_login(staff(Role.FRONT_DESK))
    CustomerFactory.create_batch(5, mall=mall)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("customers:list"))
    CustomerFactory.create_batch(45, mall=mall, mobile=factory_mobiles())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("customers:list"))
    page = response.content.decode()
    assert page.count("****") == 50
    assert all(c.mobile not in page for c in Customer.objects.all())


def factory_mobiles():
    import factory

    return factory.Sequence(lambda n: f"137{n:08d}")


@pytest.mark.django_db
def test_customer_search_by_mobile(client, mall, staff):
    client.force_login(staff(Role.FRONT_DESK))
    wanted = CustomerFactory(mall=mall, mobile="13812345678", name="要找的人")
    CustomerFactory(mall=mall, mobile="13900000000", name="别人")
    page = client.get(reverse("customers:list"), {"q": "138 1234 5678"}).content.decode()
    assert wanted.name in page and "别人" not in page
