"""Lists built into messages in Python follow the reader's punctuation (issue 15): a refusal
naming roles, or the file types an upload may have, never shows "、" in English."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from servicedesk.access import require_role
from servicedesk.roles import Role
from servicedesk.texts import join_names
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_join_names_in_each_language():
    with translation.override("zh-hans"):
        assert join_names(["张三", "李四"]) == "张三、李四" and join_names(["a", "b"], "semi") == "a；b"
    with translation.override("en"):
        assert join_names(["Zhang", "Li"]) == "Zhang, Li" and join_names(["a", "b"], "semi") == "a; b"


def test_a_refusal_names_the_roles_in_the_readers_punctuation(mall):
    clerk = make_staff(Role.CLERK, mall)
    for language, separator in (("en", ", "), ("zh-hans", "、")):
        with translation.override(language), pytest.raises(PermissionDenied) as refused:
            require_role(clerk, mall, Role.SUPERVISOR, Role.MANAGER)
        message = str(refused.value)
        assert separator in message and ("、" in message) == (language == "zh-hans")
