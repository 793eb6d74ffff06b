import pytest
from django.core.exceptions import ValidationError

from merchants.credit_code import check_character, validate_credit_code, with_check_character

VALID = ["91350100M000100Y43", "913101000001DEM00L"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_the_published_example_has_check_character_3():
    assert check_character("91350100M000100Y4") == "3"


def test_wrong_check_character_is_refused_in_chinese():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M000100Y44")
    assert error.value.code == "credit_code_check"
    assert "校验位" in error.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y431", ""])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == "credit_code_length"
    assert "18位" in error.value.messages[0]


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-"])
def test_letters_outside_the_alphabet_are_refused(bad):
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M000100Y4"[:16] + bad + "3")
    assert error.value.code == "credit_code_characters"


def test_lowercase_is_read_as_uppercase():
    validate_credit_code("91350100m000100y43")


def test_generated_codes_validate():
    for n in range(50):
        validate_credit_code(with_check_character(f"91310107{n:09d}"))
