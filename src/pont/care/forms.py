"""Forms of the care app: they parse and label input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pont.care import public
from pont.care.choices import (
    AgeGroup,
    Category,
    Concern,
    MemberRole,
    NextStep,
    NoteKind,
    Outcome,
    Relation,
    TargetGroup,
)
from pont.care.models import TEXT_LIMIT, Note, Signal, Team, TeamMember
from pont.care.services import SignalInput
from pont.core.forms import StyledForm, set_choices, set_queryset
from pont.core.i18n import language_choices
from pont.core.models import Municipality, Organisation, Region


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class FormTokenInput(forms.HiddenInput):
    """The public form's signed time stamp: always a fresh one, never the one posted, so that a form shown
    again (with errors) can be sent again."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, public.form_token(), attrs)


def _municipalities():
    return Municipality.objects.select_related("region").order_by("name")


class PublicSignalForm(StyledForm, forms.Form):
    """The public page's form; its labels come in the page's language (Arabic included)."""

    # Nothing preselected: the person answers the question themselves.
    danger_now = forms.TypedChoiceField(coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    relation = forms.ChoiceField(widget=forms.RadioSelect)
    target_group = forms.ChoiceField()
    municipality = forms.ModelChoiceField(queryset=Municipality.objects.none())
    languages = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    concerns = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    first_name = forms.CharField(max_length=100, required=False)
    age_group = forms.ChoiceField(required=False)
    description = forms.CharField(max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    signaller_name = forms.CharField(max_length=200, required=False)
    signaller_contact = forms.CharField(max_length=200, required=False)
    # Honeypot: hidden from people (CSS and aria-hidden); bots that fill every field give themselves away.
    website = forms.CharField(required=False)
    # When the page was served (signed): refused if sent sooner than a person could, or once expired.
    form_token = forms.CharField(required=False, widget=FormTokenInput)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        t = self.texts = public.texts(language)
        f: dict[str, Any] = self.fields  # fields of several kinds: labels, choices and querysets set below
        f["danger_now"].label = t["danger_legend"]
        f["danger_now"].choices = [("no", t["danger_no"]), ("yes", t["danger_yes"])]
        f["relation"].label = t["relation_legend"]
        f["relation"].choices = public.choices("relation", language)
        f["target_group"].label = t["target_group_label"]
        f["target_group"].choices = public.choices("target_group", language)
        f["municipality"].label = t["municipality_label"]
        f["municipality"].queryset = _municipalities()
        f["languages"].label = t["languages_label"]
        f["languages"].help_text = t["languages_help"]
        from pont.core.i18n import COMMON_LANGUAGES, language_name

        f["languages"].choices = sorted(((c, language_name(c, language)) for c in COMMON_LANGUAGES),
                                        key=lambda pair: pair[1].casefold())
        f["concerns"].label = t["concerns_legend"]
        f["concerns"].choices = public.choices("concerns", language)
        f["first_name"].label = t["first_name_label"]
        f["age_group"].label = t["age_group_label"]
        unknown = [(v, label) for v, label in public.choices("age_group", language) if v == ""]
        f["age_group"].choices = unknown + [(v, lbl) for v, lbl in public.choices("age_group", language) if v]
        f["description"].label = t["description_label"]
        f["signaller_name"].label = t["signaller_name_label"]
        f["signaller_contact"].label = t["signaller_contact_label"]
        f["signaller_contact"].help_text = t["contact_help"]
        f["website"].label = t["website_label"]
        f["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for name in ("danger_now", "relation", "concerns", "languages"):
            f[name].widget.attrs.pop("class", None)

    def clean(self):
        cleaned = super().clean() or {}
        problem = public.form_token_problem(cleaned.get("form_token", ""))
        if problem:
            raise forms.ValidationError(self.texts[problem], code=problem)
        return cleaned

    def signal_input(self) -> SignalInput:
        d = self.cleaned_data
        return SignalInput(
            relation=d["relation"], target_group=d["target_group"], municipality=d["municipality"],
            languages=d["languages"], concerns=d["concerns"], danger_now=d["danger_now"], first_name=d["first_name"],
            age_group=d["age_group"], description=d["description"], signaller_name=d["signaller_name"],
            signaller_contact=d["signaller_contact"])


class StaffSignalForm(StyledForm, forms.Form):
    """A signal recorded by staff from a phone call, a visit, or a professional's request for advice."""

    channel = forms.ChoiceField(label=_("Received by"), choices=[
        ("phone", _("Phone call")), ("visit", _("During a visit")),
        ("consultation", _("Professional's consultation (category E)"))])
    danger_now = forms.BooleanField(label=_("Someone is in danger now (category A)"), required=False)
    relation = forms.ChoiceField(label=_("Who is concerned?"), choices=Relation.choices)
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices, required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), widget=forms.CheckboxSelectMultiple,
                                          help_text=_("Tick every language the person speaks."))
    concerns = forms.MultipleChoiceField(label=_("What is going on?"), choices=Concern.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Description"), max_length=TEXT_LIMIT, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    signaller_name = forms.CharField(label=_("Signaller"), max_length=200, required=False)
    signaller_contact = forms.CharField(label=_("How to contact"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["municipality"], _municipalities())
        set_choices(self.fields["languages"], language_choices())
        self.fields["concerns"].widget.attrs.pop("class", None)

    def signal_input(self) -> SignalInput:
        d = self.cleaned_data
        return SignalInput(
            relation=d["relation"], target_group=d["target_group"], municipality=d["municipality"],
            languages=d["languages"], concerns=d["concerns"], danger_now=d["danger_now"], first_name=d["first_name"],
            age_group=d["age_group"], description=d["description"], signaller_name=d["signaller_name"],
            signaller_contact=d["signaller_contact"])


class TriageForm(StyledForm, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    reasons = forms.CharField(label=_("Reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, signal, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["team"], Team.objects.filter(active=True, organisation_id=signal.organisation_id)
                     .select_related("organisation"))


class HandoverForm(StyledForm, forms.Form):
    note = forms.CharField(label=_("Handed over to (service, number, time)"), max_length=200)


class VitalInterestForm(StyledForm, forms.ModelForm):
    """The care team states that a registered person without a consent in force is helped on the basis of
    their vital interest; the field's limit is the model's."""

    class Meta:
        model = Signal
        fields = ["legal_basis_note"]
        widgets = {"legal_basis_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_basis_note"].required = True


class CareRequestForm(StyledForm, forms.Form):
    """An adviser asks the care team for support for a registered person (with the `care` consent)."""

    concerns = forms.MultipleChoiceField(label=_("What is going on"), choices=Concern.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("What the care team should know"), max_length=TEXT_LIMIT,
                                  required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Only what the team needs to reach and help the person; no "
                                              "details of the employment file."))
    danger_now = forms.BooleanField(label=_("Someone is in danger now"), required=False,
                                    help_text=_("Call 112 first; the care team is alerted at once."))


class VisitForm(StyledForm, forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput)
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=480, initial=90)
    place = forms.CharField(label=_("Place"), max_length=200)
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=TeamMember.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language of the visit"), required=False)

    def __init__(self, *args, signal, members, **kwargs):
        """`members`: who may go (care.selectors.visit_candidates: own and lent members, for the signal's area)."""
        super().__init__(*args, **kwargs)
        from pont.core.i18n import language_name

        set_queryset(self.fields["members"], TeamMember.objects.filter(pk__in=[m.pk for m in members])
                     .select_related("user", "team"))
        field: Any = self.fields["members"]
        field.label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.username} · {m.get_role_display()} · {m.team.name} · "
            + ", ".join(language_name(c) for c in m.languages))
        self.fields["members"].widget.attrs.pop("class", None)
        set_choices(self.fields["language"], [("", _("Any language the person speaks"))] + [
            (c, language_name(c)) for c in signal.languages])


class VisitReportForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("Visit"), choices=[("done", _("Done")), ("missed", _("Person not met"))])
    attended = forms.BooleanField(label=_("The person attended"), required=False, initial=True)
    language_spoken = forms.BooleanField(label=_("Someone spoke the person's language"), required=False,
                                         initial=True)
    next_step = forms.ChoiceField(label=_("Next step"), choices=NextStep.choices)


class NoteForm(StyledForm, forms.ModelForm):
    """A note: its kinds and its limit are the Note model's."""

    class Meta:
        model = Note
        fields = ["kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, clinical: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not clinical:
            set_choices(self.fields["kind"], [(NoteKind.SOCIAL, NoteKind.SOCIAL.label)])


class CloseForm(StyledForm, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in Outcome.choices if c[0] != Outcome.MERGED])
    note = forms.CharField(label=_("Outcome note"), max_length=TEXT_LIMIT, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ScreeningForm(StyledForm, forms.Form):
    """One radio group per item of the chosen instrument, labelled in the chosen language."""

    language = forms.ChoiceField(label=_("Language of the items"))
    sex = forms.ChoiceField(label=_("Sex (for the cut-off)"), required=False,
                            choices=[("", "—"), ("F", _("Female")), ("M", _("Male"))])

    def __init__(self, *args, instrument, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        from pont.core.i18n import language_name

        self.instrument = instrument
        set_choices(self.fields["language"], [
            (code, language_name({"en": "eng", "fr": "fra", "nl": "nld"}.get(code, code)) if len(code) == 2 else code)
            for code in instrument.languages])
        self.fields["language"].initial = language
        if "sex" not in instrument.context:
            del self.fields["sex"]
        for item in instrument.items:
            text = item.text.get(language) or item.text["en"]
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {text}", coerce=int, widget=forms.RadioSelect, required=False,
                choices=[(o.value, o.label.get(language) or o.label.get("en") or str(o.value)) for o in item.options])
            self.fields[f"item_{item.number}"].widget.attrs.pop("class", None)

    def answers(self) -> dict[int, int]:
        return {item.number: self.cleaned_data[f"item_{item.number}"] for item in self.instrument.items
                if self.cleaned_data.get(f"item_{item.number}") not in (None, "")}

    def item_fields(self):
        return [self[f"item_{item.number}"] for item in self.instrument.items]


class AgreementForm(StyledForm, forms.Form):
    """A cooperation agreement proposed by a coordinator: the rules are the model's and care.cooperation's."""

    partner = forms.ModelChoiceField(label=_("Partner organisation"), queryset=Organisation.objects.none())
    direction = forms.ChoiceField(label=_("Direction"), widget=forms.RadioSelect, choices=[
        ("lend", _("We lend members to the partner")), ("receive", _("The partner lends members to us")),
        ("mutual", _("Both directions"))])
    roles = forms.MultipleChoiceField(label=_("Roles that may be lent"), choices=MemberRole.choices,
                                      widget=forms.CheckboxSelectMultiple)
    regions: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Areas"), queryset=Region.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Where lent members may be sent. None ticked: anywhere."))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("Empty: until it is ended."))
    note = forms.CharField(label=_("Terms"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["partner"], partners)
        for name in ("direction", "roles", "regions"):
            self.fields[name].widget.attrs.pop("class", None)


class DutySlotForm(StyledForm, forms.Form):
    """A slot of the on-duty rota (the rules are DutySlot's and care.rota's)."""

    user = forms.ModelChoiceField(label=_("Dispatcher"), queryset=TeamMember.objects.none())
    starts_at = forms.DateTimeField(label=_("From"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DateTimeInput)
    rank = forms.IntegerField(label=_("Called"), min_value=1, max_value=9, initial=1,
                              help_text=_("1 is called first; 2 if 1 does not answer in time, …"))

    def __init__(self, *args, dispatchers, **kwargs):
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["user"], dispatchers)
        field: Any = self.fields["user"]
        field.label_from_instance = lambda u: u.get_full_name() or u.username
