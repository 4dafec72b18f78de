"""Pages of the network app: the offer catalogue across the border."""

from __future__ import annotations

import copy
import datetime as dt
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from pont.core import access
from pont.core.forms import StyledForm, apply_errors, set_choices, set_queryset
from pont.core.i18n import language_choices
from pont.core.models import Organisation, Region, User
from pont.core.roles import Country, Role
from pont.employment.models import Programme
from pont.network import exchange, hsds, selectors, services
from pont.network.choices import OfferKind, ReferralOutcome, SharedField
from pont.network.models import Event, Offer, Referral, Reply, Thread
from pont.people.choices import ConsentGiver, ConsentPurpose, LegalStatusKind
from pont.people.selectors import person_get, persons_visible_to


class AuthenticatedRequest(HttpRequest):
    user: User


class OfferSearchForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False,
                                choices=[("", _("Both sides of the border")), *Country.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Every kind")), *OfferKind.choices])
    language = forms.ChoiceField(label=_("Given in"), required=False)
    person = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    eligible_only = forms.BooleanField(label=_("Only what this person is eligible for"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.fields["region"], [("", _("Every region")),
                                            *[(r.code, r.name) for r in Region.objects.order_by("country", "name")]])
        set_choices(self.fields["language"], [("", _("Any language")), *language_choices()])

    def filters(self) -> selectors.Filters:
        data = self.cleaned_data
        return selectors.Filters(q=data.get("q") or "", country=data.get("country") or "",
                                 region=data.get("region") or "", kind=data.get("kind") or "",
                                 language=data.get("language") or "", eligible_only=bool(data.get("eligible_only")))


@login_required
@require_GET
def offer_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every partner's offers and programmes, searched across the border; for a person, eligibility and distance."""
    access.require(request.user, "network.read_catalogue")
    form = OfferSearchForm(request.GET or None)
    person, entries = None, list[selectors.Entry]()
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else selectors.Filters()
        person_pk = form.cleaned_data.get("person") if form.is_bound else None
        person, entries = selectors.catalogue(user=request.user, filters=filters, person_pk=person_pk)
    return render(request, "network/offer_list.html", {
        "form": form, "person": person, "entries": entries,
        "own_organisations": set(access.organisation_ids(request.user, Role.ADVISER))},
        status=422 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- referrals

class ReferralForm(StyledForm, forms.ModelForm):
    """What the sender writes and chooses to share."""

    fields_shared = forms.MultipleChoiceField(label=_("What travels with the referral"), choices=SharedField.choices,
                                              widget=forms.CheckboxSelectMultiple, required=False,
                                              help_text=_("Never care data. The note only if ticked."))

    class Meta:
        model = Referral
        fields = ["reason", "note", "override_justification"]
        labels = {"reason": _("Why this offer"), "note": _("Note for the receiving adviser (optional)"),
                  "override_justification": _("Coordinators: why send without the person's consent")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 2}),
                   "override_justification": forms.Textarea(attrs={"rows": 2})}


def _target(request) -> tuple[Offer | None, Programme | None]:
    raw_offer, raw_programme = str(request.GET.get("offer", ""))[:18], str(request.GET.get("programme", ""))[:18]
    if raw_offer.isdigit():
        return selectors.offer_get(user=request.user, pk=int(raw_offer)), None
    if raw_programme.isdigit():
        programme = Programme.objects.filter(pk=int(raw_programme), active=True).select_related("organisation").first()
        if programme is not None:
            return None, programme
    raise Http404


@login_required
def referral_create(request: AuthenticatedRequest) -> HttpResponse:
    """Refer a person of the adviser's scope to another organisation's offer or programme."""
    raw = str(request.GET.get("person", ""))[:18]
    if not raw.isdigit():
        raise Http404
    person = person_get(user=request.user, pk=int(raw))
    access.require(request.user, "network.refer", person)
    offer, programme = _target(request)
    organisation = (offer or programme).organisation  # type: ignore[union-attr]
    from_organisation = access.acting_organisation(request.user, role=Role.ADVISER, person=person)
    consent = services.consent_for(person, from_organisation, organisation)
    form = ReferralForm(request.POST or None,
                        initial={"fields_shared": [SharedField.NAME, SharedField.LANGUAGES]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_send(
                by=request.user, person=person, offer=offer, programme=programme, reason=data["reason"],
                fields=data["fields_shared"], note=data.get("note") or "",
                override_justification=data.get("override_justification") or "")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Referral sent: %(organisation)s's advisers are told.")
                             % {"organisation": organisation.name})
            return redirect("network:referral_detail", pk=referral.pk)
    purposes = [ConsentPurpose(p).label for p in services.purposes_for(from_organisation, organisation)]
    return render(request, "network/referral_form.html", {
        "form": form, "person": person, "organisation": organisation,
        "target_title": offer.title if offer is not None else programme.name if programme is not None else "",
        "consent": consent, "purposes": purposes, "needed_purpose": services.purposes_for(from_organisation,
                                                                                          organisation)[0],
        "coordinator": from_organisation.pk in access.organisation_ids(request.user, Role.COORDINATOR),
        "cross_border": from_organisation.country != organisation.country,
        "givers": ConsentGiver.choices}, status=422 if form.errors else 200)


@login_required
@require_GET
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    if not access.holds(request.user, Role.ADVISER, Role.COORDINATOR):
        raise Http404
    direction = request.GET.get("direction", "incoming")
    direction = direction if direction in ("incoming", "outgoing") else "incoming"
    rows = selectors.referral_list(user=request.user, direction=direction)
    return render(request, "network/referral_list.html", {"referrals": rows, "direction": direction})


@login_required
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One referral: what travelled, its history; the receiving advisers accept, decline or close it."""
    user = request.user
    if request.method == "POST":
        referral = selectors.referral_get(user=user, pk=pk)
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                services.referral_accept(by=user, referral=referral, note=request.POST.get("note", "")[:1000])
                messages.success(request, _("Referral accepted: the person now has a file with you."))
            elif action == "decline":
                services.referral_decline(by=user, referral=referral, reason=request.POST.get("reason", "")[:1000])
                messages.success(request, _("Referral declined."))
            elif action == "close":
                services.referral_close(by=user, referral=referral, outcome=request.POST.get("outcome", "")[:16],
                                        note=request.POST.get("note", "")[:1000])
                messages.success(request, _("Referral closed."))
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("network:referral_detail", pk=referral.pk)
    referral = selectors.referral_view(user=user, pk=pk)
    receiver = referral.to_organisation_id in access.organisation_ids(user, Role.ADVISER)
    return render(request, "network/referral_detail.html", {
        "referral": referral, "shared": selectors.shared_view(referral), "receiver": receiver,
        "person_visible": persons_visible_to(user).filter(pk=referral.person_id).exists(),
        "outcomes": ReferralOutcome.choices})


# ------------------------------------------------------------------------------- practice exchange, events

class ThreadForm(StyledForm, forms.ModelForm):
    tags_text = forms.CharField(label=_("Tags"), required=False, max_length=250,
                                help_text=_("Short words separated by commas, e.g. employers, language."))
    confirmed = forms.BooleanField(label=_("I confirm this is not about a person"), required=False)

    class Meta:
        model = Thread
        fields = ["title", "text", "language"]
        labels = {"title": _("Title"), "text": _("What you want to share or ask (no names)"),
                  "language": _("Written in")}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def tags(self) -> list[str]:
        return [t.strip() for t in (self.cleaned_data.get("tags_text") or "").split(",") if t.strip()]


@login_required
def exchange_list(request: AuthenticatedRequest) -> HttpResponse:
    """The advisers' practice exchange: threads (filter by word, tag, language, bookmarks) and a new one."""
    user = request.user
    access.require(user, "network.exchange")
    form = ThreadForm(request.POST or None, initial={"language": selectors.active_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = exchange.thread_create(by=user, title=data["title"], text=data["text"], language=data["language"],
                                            tags=form.tags(), confirmed=data["confirmed"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thread published."))
            return redirect("network:thread_detail", pk=thread.pk)
    q, tag = request.GET.get("q", "")[:100], request.GET.get("tag", "")[:30]
    language = request.GET.get("language", "") if request.GET.get("language", "") in ("fr", "nl", "en") else ""
    threads = exchange.thread_list(user=user, q=q, tag=tag, language=language,
                                   bookmarked=request.GET.get("bookmarked") == "1")[:100]
    return render(request, "network/exchange_list.html", {
        "form": form, "threads": threads, "q": q, "tag": tag, "language": language,
        "bookmarked": request.GET.get("bookmarked") == "1", "held": "text" in form.errors},
        status=422 if form.errors else 200)


@login_required
def thread_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    thread = exchange.thread_get(user=user, pk=pk)
    form = ThreadReplyForm(request.POST if request.POST.get("action") == "reply" else None,
                           initial={"language": selectors.active_language()})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reply":
                if form.is_valid():
                    exchange.reply_create(by=user, thread=thread, text=form.cleaned_data["text"],
                                          language=form.cleaned_data["language"],
                                          confirmed=form.cleaned_data["confirmed"])
                    messages.success(request, _("Reply published."))
                    return redirect("network:thread_detail", pk=thread.pk)
            elif action == "bookmark":
                exchange.bookmark_toggle(by=user, thread=thread)
                return redirect("network:thread_detail", pk=thread.pk)
            elif action == "hide":
                raw = str(request.POST.get("reply", ""))[:18]
                post = exchange.reply_get(user=user, thread=thread, pk=int(raw)) if raw.isdigit() else thread
                exchange.post_hide(by=user, post=post, reason=request.POST.get("reason", "")[:500])
                messages.success(request, _("Post hidden."))
                return redirect("network:thread_detail", pk=thread.pk)
            else:
                raise Http404
        except ValidationError as error:
            if action == "reply":
                apply_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("network:thread_detail", pk=thread.pk)
    return render(request, "network/thread_detail.html", {
        "thread": thread, "replies": exchange.replies_of(user=user, thread=thread), "form": form,
        "bookmarked": thread.bookmarks.filter(user=user).exists(), "moderator": access.can(user, "network.moderate"),
        "held": "text" in form.errors}, status=422 if form.errors else 200)


class ThreadReplyForm(StyledForm, forms.ModelForm):
    confirmed = forms.BooleanField(label=_("I confirm this is not about a person"), required=False)

    class Meta:
        model = Reply
        fields = ["text", "language"]
        labels = {"text": _("Your reply (no names)"), "language": _("Written in")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class EventForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "description", "starts_at", "ends_at", "place", "link", "language", "capacity"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "description": forms.Textarea(attrs={"rows": 3})}


@login_required
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    access.require(user, "network.read_events")
    organiser = access.organisation_ids(user, Role.COORDINATOR)
    form = EventForm(request.POST or None) if organiser else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                event = exchange.event_create(by=user, values=form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Event announced."))
                return redirect("network:event_detail", pk=event.pk)
    events = exchange.events_visible_to(user).filter(ends_at__gte=timezone.now() - dt.timedelta(days=60))
    return render(request, "network/event_list.html", {"events": events, "form": form},
                  status=422 if form is not None and form.errors else 200)


@login_required
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    event = exchange.event_get(user=user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "register":
                exchange.event_register(by=user, event=event)
                messages.success(request, _("You are registered."))
            elif action == "unregister":
                exchange.event_unregister(by=user, event=event)
                messages.success(request, _("Registration cancelled."))
            elif action == "report":
                exchange.event_report(by=user, event=event, report=request.POST.get("report", "")[:4000])
                messages.success(request, _("Report saved."))
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("network:event_detail", pk=event.pk)
    return render(request, "network/event_detail.html", {
        "event": event, "registered": event.registrations.filter(user=user).exists(),
        "organiser": access.can(user, "network.organise_event", event.organiser),
        "full": event.capacity is not None and event.registrations.count() >= event.capacity,
        "past": event.ends_at < timezone.now()})


@login_required
@require_GET
def event_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = exchange.event_get(user=request.user, pk=pk)
    response = HttpResponse(exchange.calendar_file(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pont-event-{event.pk}.ics"'
    return response


# --------------------------------------------------------------------------------- coordinators' offers

class OfferForm(StyledForm, forms.ModelForm):
    """An offer of one of the coordinator's organisations, with its texts in French, Dutch and English."""

    language_list = forms.MultipleChoiceField(label=_("Given in"), required=False, widget=forms.SelectMultiple)
    legal_status_list = forms.MultipleChoiceField(label=_("Legal statuses admitted"), required=False,
                                                  choices=LegalStatusKind.choices,
                                                  widget=forms.CheckboxSelectMultiple,
                                                  help_text=_("None ticked: every legal status."))

    class Meta:
        model = Offer
        fields = ["organisation", "kind", "title_fr", "title_nl", "title_en", "description_fr", "description_nl",
                  "description_en", "municipality", "address", "min_age", "max_age", "right_to_work",
                  "min_language", "min_language_level", "regions", "capacity", "waiting_weeks", "contact_email",
                  "contact_phone", "website", "opening_hours", "cost_eur", "valid_from", "valid_until"]
        labels = {"title_fr": _("Title in French"), "title_nl": _("Title in Dutch"),
                  "title_en": _("Title in English"),
                  "description_fr": _("Description in French"), "description_nl": _("Description in Dutch"),
                  "description_en": _("Description in English")}
        widgets = {"description_fr": forms.Textarea(attrs={"rows": 2}),
                   "description_nl": forms.Textarea(attrs={"rows": 2}),
                   "description_en": forms.Textarea(attrs={"rows": 2}), "regions": forms.CheckboxSelectMultiple,
                   "valid_from": forms.DateInput(attrs={"type": "date"}),
                   "valid_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["organisation"], organisations)
        set_choices(self.fields["language_list"], language_choices())
        self.fields["min_language"].widget = forms.Select(choices=[("", "—"), *language_choices()],
                                                          attrs={"class": "form-select"})
        if self.instance.pk is not None:
            self.initial.update(language_list=self.instance.languages, legal_status_list=self.instance.legal_statuses)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["languages"], data["legal_statuses"] = data.pop("language_list"), data.pop("legal_status_list")
        data.pop("regions", None)
        return data


def _coordinated(user):
    return Organisation.objects.filter(pk__in=access.organisation_ids(user, Role.COORDINATOR))


@login_required
@require_GET
def offers_mine(request: AuthenticatedRequest) -> HttpResponse:
    organisations = _coordinated(request.user)
    if not organisations.exists():
        raise Http404
    offers = Offer.objects.filter(organisation__in=organisations).select_related("organisation", "municipality")
    return render(request, "network/offers_mine.html", {"offers": offers})


@login_required
def offer_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    organisations = _coordinated(request.user)
    if not organisations.exists():
        raise Http404
    offer = Offer.objects.filter(pk=pk, organisation__in=organisations).first() if pk is not None else None
    if pk is not None and offer is None:
        raise Http404
    form = OfferForm(request.POST or None, instance=copy.copy(offer) if offer else None, organisations=organisations,
                     initial={"organisation": organisations.first()} if offer is None and organisations.count() == 1
                     else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.offer_save(by=request.user, offer=offer, values=form.values(),
                                        regions=form.cleaned_data.get("regions"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Offer saved: it is in the catalogue."))
            return redirect("network:offer_edit", pk=saved.pk)
    return render(request, "network/offer_form.html", {"form": form, "offer": offer},
                  status=422 if form.errors else 200)


@login_required
def offers_upload(request: AuthenticatedRequest) -> HttpResponse:
    """A coordinator publishes their organisation's catalogue from an HSDS 3.0 file: all of it or nothing."""
    if not _coordinated(request.user).exists():
        raise Http404
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        upload, language = request.FILES.get("file"), request.POST.get("language", "fr")
        try:
            data = json.loads(upload.read(5_000_001).decode("utf-8")) if upload is not None else None
            if data is None:
                raise ValueError
            result = services.offers_import(by=request.user, data=data, language=language)
        except (ValueError, UnicodeDecodeError):
            errors = [("—", str(_("Choose a JSON file in the HSDS 3.0 shape (at most 5 MB).")))]
        except hsds.HsdsError as error:
            errors = error.errors
        else:
            messages.success(request, _("Offers created: %(created)s; updated: %(updated)s.")
                             % {"created": result.created, "updated": result.updated})
            return redirect("network:offers_mine")
    return render(request, "network/offers_upload.html", {"errors": errors}, status=422 if errors else 200)


@login_required
@require_POST
def referral_ask(request: AuthenticatedRequest) -> HttpResponse:
    """From the registration form's duplicate warning: ask the organisation following a similar person to
    refer them, instead of registering them twice (the person agreed)."""
    raw = str(request.POST.get("ask_organisation", ""))[:18]
    organisation = Organisation.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if organisation is None:
        raise Http404
    given, family = request.POST.get("given_name", "").strip(), request.POST.get("family_name", "").strip()
    try:
        born = dt.date.fromisoformat(request.POST.get("date_of_birth", "")[:10])
    except ValueError:
        born = None
    if request.POST.get("ask_agreed") != "1" or born is None or not given or not family:
        messages.error(request, _("Tick that the person agrees, with their names and date of birth filled in."))
        return redirect("people:create")
    try:
        services.referral_ask(by=request.user, organisation=organisation, date_of_birth=born,
                              initials=f"{given[0]}. {family[0]}.".upper())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:create")
    messages.success(request, _("%(organisation)s's advisers are asked for a referral. Do not register the person "
                                "twice: once referred, they appear in your list.")
                     % {"organisation": organisation.name})
    return redirect("people:list")
