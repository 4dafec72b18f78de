"""The shell of Pont: language choice, the second factor (care roles and coordinators), health."""

from __future__ import annotations

import base64
from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language
from django_otp.plugins.otp_totp.models import TOTPDevice

from pont.audit.services import audit
from pont.core import access, second_factor
from pont.core.health import OK, run_checks


@require_POST
def language(request):
    """Switch the UI language; a signed-in user's choice is remembered on their account."""
    code = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(code) and code in dict(settings.LANGUAGES):
        request.user.language = code
        request.user.save(update_fields=["language"])
    response = set_language(request)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return response if isinstance(response, HttpResponseRedirect) else HttpResponseRedirect(target)


@require_GET
def favicon(request):
    """Browsers that ask for /favicon.ico get the SVG icon the pages link to."""
    return redirect(static("pont/favicon.svg"))


class LoginView(auth_views.LoginView):
    """Django's login page, with the demo logins on an instance that seed_demo filled."""

    def get_context_data(self, **kwargs):
        from pont.demo.hints import demo_logins

        return super().get_context_data(**kwargs) | {"demo": demo_logins()}


# --- Second factor (TOTP) for care roles and coordinators ---------------------------------------------------


def safe_next(request, default: str) -> str:
    """Return the `next` address of the request if it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return default
    return target


def second_factor_page(request) -> HttpResponseRedirect:
    """Send the user to confirm (or first set up) their second factor, then back to this page."""
    name = "otp_verify" if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists() else "otp_setup"
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def second_factor_view(allowed):
    """Decorate a screen of sensitive records: signed in, `allowed(user)` (others 404), then the second factor
    confirmed (else the page that asks for it, and back)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            if not request.user.is_verified():
                return second_factor_page(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _second_factor_user(view):
    """Logged-in care roles and coordinators only (others: 404)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.needs_second_factor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@_second_factor_user
def otp_setup(request):
    """Enrol an authenticator app: show the secret and its otpauth:// URI, then confirm a code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('otp_verify')}?{urlencode({'next': safe_next(request, '/')})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    error = ""
    if request.method == "POST":
        token = (request.POST.get("token") or "").strip().replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            second_factor.confirm(request, device)  # verified for a working day
            audit(actor=request.user, verb="otp.enrolled", obj=device)
            messages.success(request, _("Two-factor login is set up."))
            return redirect(safe_next(request, reverse("home")))
        error = _("This code is not valid. Check the time on your phone and try the newest code.")
    secret = base64.b32encode(device.bin_key).decode()
    # The QR code the authenticator app scans, drawn on the server as SVG (no script, no inline style).
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=3, dark="#000", light="#fff", svgclass="otp-qr",
        title=_("QR code to scan with your authenticator app"))
    return render(request, "core/otp_setup.html", {
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), "uri": device.config_url,
        "qr": mark_safe(qr),  # noqa: S308 -- segno's own markup of our own URI
        "error": error, "next": safe_next(request, reverse("home"))}, status=422 if error else 200)


@_second_factor_user
def otp_verify(request):
    """Confirm the second factor for this session with a code from the authenticator app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('otp_setup')}?{urlencode({'next': safe_next(request, '/')})}")
    error = ""
    if request.method == "POST":
        token = (request.POST.get("token") or "").strip().replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            second_factor.confirm(request, device)  # verified for a working day
            return redirect(safe_next(request, reverse("home")))
        device.refresh_from_db()
        error = _("This code is not valid. Try the newest code.") if device.throttling_failure_count < 3 else \
            _("Too many wrong codes: wait a moment before trying again.")
    return render(request, "core/otp_verify.html", {"error": error, "next": safe_next(request, reverse("home"))},
                  status=422 if error else 200)


@require_GET
def health(request):
    """For load balancers and monitoring (no login): 200 when the database and the task queue work, else 503.

    The JSON body names each check: {"status": "ok", "checks": {"database": "ok", "tasks": "ok"}}, or
    {"status": "failing", "failed": ["tasks"], "checks": {…, "tasks": "2 task(s) waiting more than …"}}.
    """
    checks = run_checks()
    failed = [name for name, result in checks.items() if result != OK]
    body = {"status": "failing", "failed": failed, "checks": checks} if failed else {"status": "ok", "checks": checks}
    response = JsonResponse(body, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    return response
