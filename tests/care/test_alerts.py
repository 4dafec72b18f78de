"""Alerts that leave the screen: an urgent signal reaches the dispatcher on duty by e-mail (Django's mail outbox)
and by Web Push (pywebpush, VAPID) to a push endpoint served on loopback, whose payload the test decrypts as the
browser would; unacknowledged, it goes to the next one on the rota; acknowledged, it stops."""

import base64
import datetime as dt
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pont.care import rota
from pont.care import services as care_services
from pont.care.management.commands.vapid_keys import new_pair
from pont.care.models import Alert, AlertNotice, PushSubscription
from pont.care.tasks import escalate_alert
from pont.core.roles import Role
from tests.factories import MembershipFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def push_service():
    """A push service on loopback: it keeps what it receives and answers 201 like a real one."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


@pytest.fixture
def vapid(settings):
    public, private = new_pair()
    settings.PONT_PUSH = {"VAPID_PUBLIC_KEY": public, "VAPID_PRIVATE_KEY": private,
                          "VAPID_SUBJECT": "mailto:test@pont.invalid"}
    settings.PONT_CARE = {**settings.PONT_CARE, "ESCALATE_AFTER_MINUTES": 10}
    return public


def _browser(user, endpoint):
    """A browser's subscription: its own key pair and auth secret, as PushManager.subscribe() makes them."""
    key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    rota.push_subscribe(user=user, endpoint=endpoint, p256dh=_b64(public), auth=_b64(auth))
    return key, auth


def _run_alert_tasks(step: int) -> int:
    """Run the queued escalation tasks of one step, as `manage.py db_worker` does once their time has come."""
    runs = [r for r in DBTaskResult.objects.filter(task_path="pont.care.tasks.escalate_alert")
            if r.args_kwargs["args"][1] == step]
    for r in runs:
        escalate_alert.call(*r.args_kwargs["args"])
    return len(runs)


@pytest.fixture
def rota_of_two(orgs, users):
    users["dispatcher"].email = "karim@example.org"
    users["dispatcher"].save()
    second = MembershipFactory(user=UserFactory(username="bram", email="bram@example.org", language="nl"),
                               organisation=orgs["care_be"], role=Role.DISPATCHER).user
    now = timezone.now()
    for rank, user in ((1, users["dispatcher"]), (2, second)):
        rota.slot_add(organisation=orgs["care_be"], dispatcher=user, starts_at=now - dt.timedelta(hours=1),
                      ends_at=now + dt.timedelta(hours=8), rank=rank, by=users["dispatcher"])
    return second


def _urgent_signal(orgs, users, capture):
    with capture(execute=True):
        signal = care_services.signal_create(
            data=care_services.SignalInput(relation="supporting", target_group="refugee",
                                           municipality=municipality("Kortrijk"), languages=["ukr"],
                                           concerns=["sleep"], first_name="Oksana", danger_now=True),
            channel="phone", organisation=orgs["care_be"], by=users["dispatcher"])
    return signal


def test_an_a_signal_reaches_the_dispatcher_on_duty_by_mail_and_push_then_the_next_one(
        orgs, users, rota_of_two, push_service, vapid, django_capture_on_commit_callbacks):
    base, received = push_service
    key, auth = _browser(users["dispatcher"], f"{base}/push/karim-phone")
    signal = _urgent_signal(orgs, users, django_capture_on_commit_callbacks)
    assert signal.category == "A"
    (alert,) = Alert.objects.filter(signal=signal, kind="urgent")

    assert _run_alert_tasks(1) == 1
    (message,) = mail.outbox
    assert message.to == ["karim@example.org"] and signal.reference in message.subject
    assert "/dispatch/plans/" in message.body  # the re-plan proposal
    (push,) = received
    assert push["path"] == "/push/karim-phone"
    headers = {k.lower(): v for k, v in push["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    payload = json.loads(http_ece.decrypt(push["body"], private_key=key, auth_secret=auth, version="aes128gcm"))
    assert signal.reference in payload["title"] and payload["url"].endswith("/dispatch/plans/")

    # nobody acknowledged: the next step calls Bram, in Dutch
    assert _run_alert_tasks(2) == 1
    assert mail.outbox[1].to == ["bram@example.org"] and "Urgent" not in mail.outbox[1].subject
    assert AlertNotice.objects.filter(alert=alert).count() == 3  # mail + push to Karim, mail to Bram
    care_services.alert_acknowledge(alert=alert, by=users["dispatcher"])
    assert _run_alert_tasks(3) == 1 and len(mail.outbox) == 2  # acknowledged: nobody else is called


def test_without_a_rota_every_dispatcher_is_called_and_a_dead_browser_is_forgotten(
        orgs, users, push_service, vapid, django_capture_on_commit_callbacks):
    users["dispatcher"].email = "karim@example.org"
    users["dispatcher"].save()
    PushSubscription.objects.create(user=users["dispatcher"], endpoint="http://127.0.0.1:9/gone", p256dh="x",
                                    auth="y")
    _urgent_signal(orgs, users, django_capture_on_commit_callbacks)
    assert _run_alert_tasks(1) == 1
    assert [m.to for m in mail.outbox] == [["karim@example.org"]]
    assert _run_alert_tasks(2) == 0  # no rota: no escalation


def test_the_rota_page_and_the_browser_subscription(orgs, users, verified_client, vapid):
    client = verified_client("dispatcher")
    page = client.get(reverse("care:rota")).content.decode()
    assert 'id="push-box"' in page and vapid in page
    now = timezone.localtime()
    response = client.post(reverse("care:rota"), {
        "user": users["dispatcher"].pk, "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"), "rank": 1})
    assert response.status_code == 302
    response = client.post(reverse("care:rota"), {
        "user": users["therapist"].pk, "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now - dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"), "rank": 1})
    assert response.status_code == 422  # not a dispatcher, and the end before the start
    subscribe = reverse("care:push_subscribe")
    answer = client.post(subscribe, json.dumps({"endpoint": "https://push.example.org/abc",
                                                "keys": {"p256dh": "BCx", "auth": "q1"}}),
                         content_type="application/json")
    assert answer.status_code == 201 and answer.json() == {"browsers": 1}
    assert client.post(subscribe, "not json", content_type="application/json").status_code == 422
    assert client.post(reverse("care:push_unsubscribe"), json.dumps({}),
                       content_type="application/json").json() == {"browsers": 0}
