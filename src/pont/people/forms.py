"""Forms of the people app: they parse and label input; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pont.core.forms import StyledForm
from pont.core.i18n import country_choices, language_choices
from pont.core.models import Municipality, Region
from pont.core.roles import Country
from pont.people.choices import (
    ASSESSED_LANGUAGES,
    AgeBand,
    Cefr,
    ConsentGiver,
    ConsentPurpose,
    LegalStatusKind,
    Sex,
)
from pont.people.models import Person
from pont.people.services import STATUS_LATER_FIELDS, PersonInput, StatusInput

LEVEL_LABELS = {
    "fra": _("Level of French"), "nld": _("Level of Dutch"), "eng": _("Level of English"),
    "deu": _("Level of German"),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class MunicipalityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.postcode}) — {obj.region.name}"


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


class PersonForm(StyledForm, forms.Form):
    """Register or edit a person: identity, residence, contact, guardian, languages."""

    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    reference = forms.CharField(label=_("Reference number"), max_length=32, required=False,
                                help_text=_("Leave empty to let Pont give one."))
    region = forms.ModelChoiceField(label=_("Region of residence"), queryset=Region.objects.all(), required=False,
                                    help_text=_("Filled in from the municipality when you choose one."))
    municipality = MunicipalityField(label=_("Municipality of residence"), required=False,
                                     queryset=Municipality.objects.select_related("region"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    unaccompanied_minor = forms.BooleanField(label=_("Unaccompanied minor"), required=False)
    guardian_name = forms.CharField(label=_("Guardian (tuteur / voogd, or ASE referent)"), max_length=200,
                                    required=False)
    guardian_contact = forms.CharField(label=_("Guardian's contact"), max_length=200, required=False)
    mother_tongue = forms.ChoiceField(label=_("Mother tongue"), required=False)
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages spoken"), required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    level_fra = forms.ChoiceField(label=LEVEL_LABELS["fra"], required=False)
    level_nld = forms.ChoiceField(label=LEVEL_LABELS["nld"], required=False)
    level_eng = forms.ChoiceField(label=LEVEL_LABELS["eng"], required=False)
    level_deu = forms.ChoiceField(label=LEVEL_LABELS["deu"], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = language_choices()
        self.fields["nationality"].choices = _blank(_("Stateless or unknown")) + country_choices()
        self.fields["mother_tongue"].choices = _blank("—") + languages
        self.fields["other_languages"].choices = languages
        for code in ASSESSED_LANGUAGES:
            self.fields[f"level_{code}"].choices = _blank(_("Not assessed")) + list(Cefr.choices)
        self.fields["other_languages"].widget.attrs["size"] = 8

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        initial = {name: getattr(person, name) for name in (
            "given_name", "family_name", "date_of_birth", "sex", "nationality", "reference", "region",
            "municipality", "address", "phone", "email", "unaccompanied_minor", "guardian_name",
            "guardian_contact")}
        levels = {lang.code: lang.level for lang in person.languages.all()}
        natives = [c for c, lvl in levels.items() if lvl == Cefr.NATIVE]
        initial["mother_tongue"] = natives[0] if natives else ""
        initial["other_languages"] = [c for c, lvl in levels.items()
                                      if c not in ASSESSED_LANGUAGES and c != initial["mother_tongue"]]
        for code in ASSESSED_LANGUAGES:
            initial[f"level_{code}"] = levels.get(code, "")
        return initial

    def languages(self) -> dict[str, str]:
        """Return ISO 639-3 → level from the language fields (mother tongue counts as native)."""
        data = self.cleaned_data
        result = {code: "" for code in data.get("other_languages") or []}
        for code in ASSESSED_LANGUAGES:
            if data.get(f"level_{code}"):
                result[code] = data[f"level_{code}"]
        if data.get("mother_tongue"):
            result[data["mother_tongue"]] = Cefr.NATIVE
        return result

    def person_values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "given_name", "family_name", "date_of_birth", "sex", "nationality", "reference", "region",
            "municipality", "address", "phone", "email", "unaccompanied_minor", "guardian_name",
            "guardian_contact")}


DECISION_HELP = _("Asylum seekers: leave empty while no decision. On an appeal: the decision appealed.")
CLAIM_HELP = _("Appeals only, when the claim is not in the history: the day the asylum claim was lodged.")
AUTHORISATION_HELP = _("Asylum seekers: the day a work authorisation was granted, if one was.")


class LegalStatusUpdateForm(StyledForm, forms.Form):
    """What becomes known after a status was added: its end, the decision, the claim, a work authorisation."""

    end_date = forms.DateField(label=_("Status ended on"), widget=DateInput, required=False)
    decision_date = forms.DateField(label=_("First-instance decision on"), widget=DateInput, required=False,
                                    help_text=DECISION_HELP)
    claim_date = forms.DateField(label=_("Asylum claim lodged on"), widget=DateInput, required=False,
                                 help_text=CLAIM_HELP)
    work_authorisation_date = forms.DateField(label=_("Work authorisation granted on"), widget=DateInput,
                                              required=False, help_text=AUTHORISATION_HELP)

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in STATUS_LATER_FIELDS}


class LegalStatusForm(LegalStatusUpdateForm):
    status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatusKind.choices)
    country = forms.ChoiceField(label=_("Country of the claim or protection"), choices=Country.choices)
    start_date = forms.DateField(label=_("Claim lodged or status granted on"), widget=DateInput,
                                 help_text=_("On an appeal: the day the appeal was lodged."))

    field_order = ("status", "country", "start_date", *STATUS_LATER_FIELDS)

    def status_input(self) -> StatusInput:
        return StatusInput(**self.cleaned_data)


class RegisterForm(PersonForm):
    """Registration adds the first legal status and the duplicate acknowledgement."""

    status = forms.ChoiceField(label=_("Legal status"), choices=_blank("—") + list(LegalStatusKind.choices),
                               required=False)
    status_country = forms.ChoiceField(label=_("Country of the claim or protection"),
                                       choices=_blank("—") + list(Country.choices), required=False)
    status_start = forms.DateField(label=_("Claim lodged or status granted on"), widget=DateInput,
                                   required=False)
    status_decision = forms.DateField(label=_("First-instance decision on"), widget=DateInput, required=False,
                                      help_text=DECISION_HELP)
    status_claim = forms.DateField(label=_("Asylum claim lodged on"), widget=DateInput, required=False,
                                   help_text=CLAIM_HELP)
    status_authorisation = forms.DateField(label=_("Work authorisation granted on"), widget=DateInput,
                                           required=False, help_text=AUTHORISATION_HELP)
    not_a_duplicate = forms.BooleanField(
        label=_("I checked the similar people above: this is someone else"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("status"):
            if not data.get("status_country"):
                self.add_error("status_country", _("This field is required."))
            if not data.get("status_start"):
                self.add_error("status_start", _("This field is required."))
        return data

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        status = None
        if data.get("status"):
            status = StatusInput(status=data["status"], country=data["status_country"],
                                 start_date=data["status_start"], decision_date=data.get("status_decision"),
                                 claim_date=data.get("status_claim"),
                                 work_authorisation_date=data.get("status_authorisation"))
        return PersonInput(**self.person_values(), languages=self.languages(), status=status)


class ConsentForm(StyledForm, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)


class PersonFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(label=_("Legal status"), required=False,
                               choices=_blank(_("All")) + list(LegalStatusKind.choices))
    language = forms.ChoiceField(label=_("Language"), required=False)
    age_band = forms.ChoiceField(label=_("Age"), required=False, choices=_blank(_("All")) + list(AgeBand.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_("All")) + [(r.code, str(r)) for r in Region.objects.all()]
        self.fields["language"].choices = _blank(_("All")) + language_choices()
