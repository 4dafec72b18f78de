"""Forms of the employment pathway: ModelForms where a form is one record (the model says each field's
limits and choices, its full_clean runs on is_valid); the services decide what spans records."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pont.core.forms import StyledForm, set_choices, set_queryset
from pont.core.i18n import language_choices
from pont.core.models import Organisation, Region
from pont.core.roles import OrganisationKind
from pont.employment.choices import (
    TRANSITIONS,
    CapacityPeriod,
    EnrolmentStatus,
    ProgrammeKind,
    RightToWorkRule,
)
from pont.employment.models import (
    CoachingSession,
    EmploymentTarget,
    FollowUp,
    LanguageAssessment,
    LanguageTraining,
    Placement,
)
from pont.employment.services import LANGUAGES, ProgrammeInput
from pont.people.choices import Cefr, LegalStatusKind
from pont.people.forms import DateInput


def _companies():
    return Organisation.objects.filter(kind=OrganisationKind.COMPANY).order_by("name")


class ProgrammeForm(StyledForm, forms.Form):
    """A programme of the catalogue: names and descriptions in three languages, places, rules."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200, required=False)
    name_nl = forms.CharField(label=_("Name in Dutch"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description_fr = forms.CharField(label=_("Description in French"), required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    description_nl = forms.CharField(label=_("Description in Dutch"), required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    description_en = forms.CharField(label=_("Description in English"), required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    max_duration_months = forms.IntegerField(label=_("Maximum duration (months)"), required=False,
                                             min_value=1, max_value=120, help_text=_("Empty: no limit."))
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=0, max_value=10_000,
                                  help_text=_("Empty: no limit."))
    capacity_period = forms.ChoiceField(label=_("Places counted"), choices=CapacityPeriod.choices,
                                        initial=CapacityPeriod.YEAR, required=False,
                                        help_text=_("Forem: 20 places a year; Mission Locale: 50 places over "
                                                    "the project."))
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    legal_statuses = forms.MultipleChoiceField(
        label=_("Legal statuses admitted"), required=False, choices=LegalStatusKind.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every legal status."))
    right_to_work = forms.ChoiceField(label=_("Right to work"), choices=RightToWorkRule.choices)
    min_language = forms.ChoiceField(label=_("Language required"), required=False)
    min_language_level = forms.ChoiceField(label=_("Minimum level"), required=False,
                                           choices=[("", "—"), *Cefr.choices])
    regions: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Regions of residence admitted"), required=False, queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: people living anywhere."))
    active = forms.BooleanField(label=_("Open to new enrolments"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.fields["min_language"], [("", "—"), *language_choices()])
        for name in ("legal_statuses", "regions"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    @classmethod
    def initial_for(cls, programme) -> dict:
        initial = {name: getattr(programme, name) for name in (
            "kind", "max_duration_months", "capacity", "capacity_period", "min_age", "max_age", "legal_statuses",
            "right_to_work", "min_language", "min_language_level", "active")}
        for code in LANGUAGES:
            initial[f"name_{code}"] = getattr(programme, f"name_{code}") or ""
            initial[f"description_{code}"] = getattr(programme, f"description_{code}") or ""
        initial["regions"] = list(programme.regions.all())
        return initial

    def programme_input(self) -> ProgrammeInput:
        data = self.cleaned_data
        return ProgrammeInput(
            kind=data["kind"], names={c: data[f"name_{c}"] for c in LANGUAGES},
            descriptions={c: data[f"description_{c}"] for c in LANGUAGES},
            max_duration_months=data["max_duration_months"], capacity=data["capacity"],
            capacity_period=data["capacity_period"] or CapacityPeriod.YEAR,
            min_age=data["min_age"], max_age=data["max_age"], legal_statuses=list(data["legal_statuses"]),
            right_to_work=data["right_to_work"], min_language=data["min_language"],
            min_language_level=data["min_language_level"], regions=list(data["regions"]), active=data["active"])


class EnrolForm(StyledForm, forms.Form):
    """Propose a person for a programme of the adviser's organisation (or enrol at once)."""

    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    enrol = forms.BooleanField(label=_("Enrol now (takes one of the programme's places)"), required=False)
    on = forms.DateField(label=_("Date"), widget=DateInput, required=False, help_text=_("Empty: today."))
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput, required=False)
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput, required=False)
    host_company = forms.ModelChoiceField(label=_("Host company"), required=False, queryset=Organisation.objects.none(),
                                          help_text=_("Workplace and shop-floor trainings."))
    coach_name = forms.CharField(label=_("Professional coach"), max_length=200, required=False)
    coach_contact = forms.CharField(label=_("Coach's contact"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.fields["programme"], [(p.pk, p.name) for p in programmes])
        set_queryset(self.fields["host_company"], _companies())


class TransitionForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label=_("Next step"), choices=EnrolmentStatus.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput, required=False, help_text=_("Empty: today."))
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput, required=False,
                                  help_text=_("When the training starts; empty: the programme's maximum."))
    reason = forms.CharField(label=_("Reason for dropping out"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None and not self.is_bound:
            allowed = TRANSITIONS[current]
            set_choices(self.fields["status"], [(v, label) for v, label in EnrolmentStatus.choices if v in allowed])


def _enrolment_field(label):
    """The person's own enrolments, offered by pk (the service checks the enrolment is theirs)."""
    return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)


def _offer_enrolments(form: forms.BaseForm, enrolments) -> None:
    set_choices(form.fields["enrolment"], [("", "—"), *((e.pk, e.programme.name) for e in enrolments)])


class CoachingForm(StyledForm, forms.ModelForm):
    """A coaching session: fields, limits and choices are CoachingSession's."""

    enrolment = _enrolment_field(_("Programme"))
    field_order = ["date", "kind", "enrolment", "notes", "next_step", "next_date"]

    class Meta:
        model = CoachingSession
        fields = ["date", "kind", "notes", "next_step", "next_date"]
        widgets = {"date": DateInput, "next_date": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        _offer_enrolments(self, enrolments)


class LanguageTrainingForm(StyledForm, forms.ModelForm):
    """A language course: fields, limits and choices are LanguageTraining's."""

    language = forms.ChoiceField(label=_("Language"))
    enrolment = _enrolment_field(_("Vocational training"))

    class Meta:
        model = LanguageTraining
        fields = ["language", "course", "hours", "start_date", "end_date", "level_at_start", "timing"]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.fields["language"], language_choices())
        _offer_enrolments(self, enrolments)


class AssessmentForm(StyledForm, forms.ModelForm):
    class Meta:
        model = LanguageAssessment
        fields = ["date", "level"]
        labels = {"date": _("Date of the assessment")}
        widgets = {"date": DateInput}


class PlacementForm(StyledForm, forms.ModelForm):
    """A job a person took: fields, limits and choices are Placement's (the employer: in Pont, or named)."""

    enrolment = _enrolment_field(_("After the programme"))

    class Meta:
        model = Placement
        fields = ["employer", "employer_name", "job_title", "contract_type", "contract_months", "hours_per_week",
                  "start_date"]
        labels = {"employer": _("Employer in Pont"), "employer_name": _("Or the employer's name")}
        widgets = {"start_date": DateInput}

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer_name"].required = False  # when the employer is in Pont, its name is taken
        set_queryset(self.fields["employer"], _companies())
        _offer_enrolments(self, enrolments)


class FollowUpForm(StyledForm, forms.ModelForm):
    still_employed = forms.TypedChoiceField(
        label=_("Still employed?"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))])

    class Meta:
        model = FollowUp
        fields = ["done_on", "still_employed", "reason_left", "notes"]
        labels = {"done_on": _("Date of the follow-up"), "reason_left": _("If not, why")}
        widgets = {"done_on": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["still_employed"].widget.attrs["class"] = "form-check-input"


class TargetForm(StyledForm, forms.ModelForm):
    class Meta:
        model = EmploymentTarget
        fields = ["target", "period_start", "period_end"]
        widgets = {"period_start": DateInput, "period_end": DateInput}

