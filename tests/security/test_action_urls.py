"""The URL side of the rule tests: every action page of the complaint, return and merchant state
machines, in every state, for every role, nobody signed in, and another mall's staff. The
expected who-may tables are the hand-written ones of tests/rules (from DOMAIN.md), never the
code's. The permission matrix (test_permission_matrix.py) drives one action per URL; this drives
them all.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from complaints.models import Complaint
from merchants.models import Merchant
from returns.models import ReturnRequest
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import BoothFactory, MerchantFactory
from tests.rules import test_complaint_rules as complaint_rules
from tests.rules import test_merchant_rules as merchant_rules
from tests.rules import test_return_rules as return_rules
from tests.rules.harness import EVERYONE, people

# One other mall's supervisor stands for every outsider here (the service tests try them all).
OUTSIDERS = ("elsewhere-supervisor",)

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def undone(request):
    """The response to `request()`; whatever it wrote is rolled back."""
    answer = {}
    try:
        with transaction.atomic():
            answer["response"] = request()
            raise _Undo
    except _Undo:
        pass
    return answer["response"]


def status_word(response):
    if response.status_code == 302:
        return "login" if response["Location"].startswith(reverse("login")) else "302"
    return str(response.status_code)


@pytest.fixture
def everyone(mall, other_mall):
    return people(mall, other_mall, prefix="u")


def as_each(client, everyone, request):
    """{who: status word} for anonymous, every role, nobody and other malls' staff."""
    got = {}
    client.logout()
    got["anon"] = status_word(undone(request))
    for who in (*EVERYONE, *OUTSIDERS):
        client.force_login(everyone[who])
        got[who] = status_word(undone(request))
    return got


def expected_words(allowed, yes):
    """Allowed roles get `yes`; other roles of the mall 403; a user of no mall or of another
    mall 404 (the record does not exist for them); nobody signed in goes to the login page."""
    words = {"anon": "login"}
    words.update({who: yes if who in allowed else "403" for who in EVERYONE})
    words.update(dict.fromkeys((*OUTSIDERS, "none"), "404"))
    return words


@pytest.mark.parametrize("action", complaint_rules.ACTIONS)
def test_every_complaint_action_page(action, client, mall, everyone):
    wrong = []
    # A state where the action is no step: one is enough here (the service tests try every one).
    others = [s for s in complaint_rules.STATES if (s, action) not in complaint_rules.EXPECTED][:1]
    for state in [s for s in complaint_rules.STATES if (s, action) in complaint_rules.EXPECTED] + others:
        complaint = ComplaintFactory(mall=mall, **complaint_rules.ready_for(action, state))
        url = reverse("complaints:act", args=[complaint.pk, action])
        got = as_each(client, everyone, lambda url=url: client.get(url))
        if (state, action) in complaint_rules.EXPECTED:
            expected = expected_words(complaint_rules.EXPECTED[(state, action)][1], "200")
            # Roles without the complaints section (and nobody) are refused before the action.
            if got != expected:
                wrong.append(f"{action} in {state}: {sorted(set(got.items()) ^ set(expected.items()))}")
        else:
            # Not a step from this state: the page says so and sends everyone back, or refuses.
            done = [who for who, word in got.items() if word == "200"]
            if done:
                wrong.append(f"{action} in {state}: form offered to {done}")
        assert Complaint.objects.get(pk=complaint.pk).status == state
    assert not wrong, "\n".join(wrong)


RETURN_POSTS = {
    "check": {},
    "approve": {},
    "refuse": {"refuse-refusal_reason": "商品已使用"},
    "close": {},
}


@pytest.mark.parametrize("action", sorted(RETURN_POSTS))
def test_every_return_action_url(action, client, mall, everyone):
    wrong = []
    for state in [s for s in return_rules.STATES if (s, action) in return_rules.EXPECTED][:2]:
        r = return_rules.a_return(mall, state)
        url = reverse("returns:action", args=[r.pk, action])
        got = {}
        client.logout()
        got["anon"] = status_word(undone(lambda url=url: client.post(url, RETURN_POSTS[action])))
        for who in (*EVERYONE, *OUTSIDERS):
            client.force_login(everyone[who])

            def post(url=url, r=r):
                response = client.post(url, RETURN_POSTS[action])
                moved = ReturnRequest.objects.get(pk=r.pk).status
                return response, moved

            response, moved = undone(lambda post=post: post())
            word = status_word(response)
            got[who] = "moved" if word == "302" and moved != state else word
        if (state, action) in return_rules.EXPECTED:
            allowed = return_rules.EXPECTED[(state, action)][1]
            expected = expected_words(allowed, "moved")
        else:
            expected = None
        if expected is not None and got != expected:
            wrong.append(f"{action} in {state}: {sorted(set(got.items()) ^ set(expected.items()))}")
        if expected is None and "moved" in got.values():
            wrong.append(f"{action} in {state}: moved by {[w for w, g in got.items() if g == 'moved']}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("action", ["verify", "activate", "release_deposit"])
def test_every_merchant_transition_url(action, client, mall, everyone, with_documents):
    wrong = []
    for state in [s for s in merchant_rules.STATES if (s, action) in merchant_rules.EXPECTED]:
        merchant = MerchantFactory(mall=mall, status="applied")
        BoothFactory(merchant=merchant)
        merchant = merchant_rules.ready(merchant, state, everyone["manager"], with_documents)
        url = reverse("merchants:transition", args=[merchant.pk, action])
        got = {}
        client.logout()
        got["anon"] = status_word(undone(lambda url=url: client.post(url)))
        for who in (*EVERYONE, *OUTSIDERS):
            client.force_login(everyone[who])

            def post(url=url, m=merchant):
                response = client.post(url)
                return response, Merchant.objects.get(pk=m.pk).status

            response, now = undone(lambda post=post: post())
            word = status_word(response)
            got[who] = "moved" if word == "302" and now != state else word
        if (state, action) in merchant_rules.EXPECTED:
            expected = expected_words(merchant_rules.EXPECTED[(state, action)][1], "moved")
            if got != expected:
                wrong.append(f"{action} in {state}: {sorted(set(got.items()) ^ set(expected.items()))}")
        elif "moved" in got.values():
            wrong.append(f"{action} in {state}: moved by {[w for w, g in got.items() if g == 'moved']}")
    assert not wrong, "\n".join(wrong)
