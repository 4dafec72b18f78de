"""Signals that look like the same situation are shown together; the dispatcher merges them or keeps them
apart, on the page and through the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from pont.care import duplicates, selectors
from pont.care import services as care_services
from pont.care.models import Signal
from tests.care.world import build_team
from tests.factories import municipality

pytestmark = pytest.mark.django_db


def _signal(orgs, users, *, town="Kortrijk", name="Oksana", text="Has not slept for weeks, talks of ending it.",
            languages=("ukr",)):
    return care_services.signal_create(
        data=care_services.SignalInput(relation="supporting", target_group="refugee", municipality=municipality(town),
                                       languages=list(languages), concerns=["sleep"], first_name=name,
                                       description=text),
        channel="phone", organisation=orgs["care_be"], by=users["dispatcher"])


def test_the_same_situation_is_shown_together_then_merged(orgs, users, verified_client):
    build_team(orgs, users)
    first = _signal(orgs, users)
    second = _signal(orgs, users, name="", text="Neighbour: she has not slept for weeks and talks of ending it.",
                     languages=("rus",))
    _signal(orgs, users, town="Lille", name="Oksana")  # another place: another situation
    _signal(orgs, users, name="Malik", text="Headaches at school.")  # other words, other name
    found = duplicates.possible_duplicates(first)
    assert [d.signal for d in found] == [second] and found[0].text_alike >= 60
    client = verified_client("dispatcher")
    assert "possibly the same situation" in client.get(reverse("care:queue")).content.decode()
    page = client.get(reverse("care:signal", args=[first.pk])).content.decode()
    assert 'id="duplicates"' in page and second.reference in page
    response = client.post(reverse("care:merge", args=[first.pk]), {"other": second.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first and second.outcome == "merged" and second.closed_at is not None
    assert set(first.languages) == {"ukr", "rus"}
    assert selectors.care_indicators(user=users["dispatcher"])["total"]["signals"] == 3  # counted once
    with pytest.raises(ValidationError):
        care_services.signal_close(signal=first, outcome="merged", by=users["dispatcher"])


def test_kept_apart_they_are_not_proposed_again_and_others_cannot_touch_them(orgs, users, verified_client):
    first, second = _signal(orgs, users), _signal(orgs, users)
    duplicates.keep_apart(signal=first, other=second, by=users["dispatcher"])
    assert duplicates.possible_duplicates(first) == [] and duplicates.flagged([first, second]) == set()
    with pytest.raises(Http404):
        duplicates.merge(signal=first, other=second, by=users["therapist"])
    later = _signal(orgs, users)
    Signal.objects.filter(pk=later.pk).update(received_at=first.received_at + dt.timedelta(days=3))
    later.refresh_from_db()
    assert duplicates.possible_duplicates(later) == []  # three days later: not the same call


def test_the_api_lists_merges_and_keeps_apart(orgs, users, client):
    from pont.core.auth import token_issue
    from tests.care.world import totp_device

    totp_device(users["dispatcher"])
    _, raw = token_issue(user=users["dispatcher"])
    headers = {"Authorization": f"Bearer {raw}"}
    first, second, third = _signal(orgs, users), _signal(orgs, users), _signal(orgs, users)
    listed = client.get(f"/api/v1/signals/{first.pk}/duplicates", headers=headers).json()
    assert {d["signal"] for d in listed} == {second.pk, third.pk}
    assert client.post(f"/api/v1/signals/{first.pk}/keep-apart", {"other": third.pk},
                       content_type="application/json", headers=headers).status_code == 204
    answer = client.post(f"/api/v1/signals/{first.pk}/merge", {"other": second.pk},
                         content_type="application/json", headers=headers)
    assert answer.status_code == 200
    again = client.post(f"/api/v1/signals/{first.pk}/merge", {"other": second.pk},
                        content_type="application/json", headers=headers)
    assert again.status_code == 409
