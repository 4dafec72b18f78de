"""Forms of the people app: they parse and label input; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pont.core import access
from pont.core.forms import StyledForm, set_choices
from pont.core.i18n import country_choices, language_choices
from pont.core.models import Municipality, Organisation, Region
from pont.core.roles import Country, Role
from pont.people.choices import (
    ASSESSED_LANGUAGES,
    AgeBand,
    Cefr,
    LegalStatusKind,
    Sex,
)
from pont.people.models import Consent, Correction, Person
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


PERSON_FORM_FIELDS = ("given_name", "family_name", "date_of_birth", "sex", "nationality", "reference", "region",
                      "municipality", "address", "phone", "email", "unaccompanied_minor", "guardian_name",
                      "guardian_contact", "labour_status")


class PersonForm(StyledForm, forms.ModelForm):
    """Register or edit a person: identity, residence, contact, guardian, languages.

    The fields, their limits and rules come from the Person model (validated by its `full_clean`); the
    languages are the form's own fields, turned into the person's language list.
    """

    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    reference = forms.CharField(label=_("Reference number"), max_length=32, required=False,
                                help_text=_("Leave empty to let Pont give one."))
    # Editing only: why the data changes, kept with each correction (GDPR Art. 16). Its limit is the model's.
    reason = forms.CharField(label=_("Reason for the correction"), required=False,
                             max_length=Correction._meta.get_field("reason").max_length,
                             help_text=_("Why the data changes (the person asked, a document was seen…): kept with "
                                         "the old and the new value, and shown to the person if they ask what "
                                         "Pont holds."))
    region: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Region of residence"), queryset=Region.objects.all(), required=False,
        help_text=_("Filled in from the municipality when you choose one."))
    municipality = MunicipalityField(label=_("Municipality of residence"), required=False,
                                     queryset=Municipality.objects.select_related("region"))
    mother_tongue = forms.ChoiceField(label=_("Mother tongue"), required=False)
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages spoken"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every language the person speaks."),
    )
    level_fra = forms.ChoiceField(label=LEVEL_LABELS["fra"], required=False)
    level_nld = forms.ChoiceField(label=LEVEL_LABELS["nld"], required=False)
    level_eng = forms.ChoiceField(label=LEVEL_LABELS["eng"], required=False)
    level_deu = forms.ChoiceField(label=LEVEL_LABELS["deu"], required=False)

    class Meta:
        model = Person
        fields = PERSON_FORM_FIELDS
        labels = {"guardian_name": _("Guardian (tuteur / voogd, or ASE referent)")}
        widgets = {"date_of_birth": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = language_choices()
        set_choices(self.fields["sex"], [("", "—"), *Sex.choices])
        set_choices(self.fields["nationality"], _blank(_("Stateless or unknown")) + country_choices())
        set_choices(self.fields["mother_tongue"], _blank("—") + languages)
        set_choices(self.fields["other_languages"], languages)
        for code in ASSESSED_LANGUAGES:
            set_choices(self.fields[f"level_{code}"], _blank(_("Not assessed")) + list(Cefr.choices))
        if self.instance.pk is not None:
            self.initial.update(self._language_initial(self.instance))

    @staticmethod
    def _language_initial(person: Person) -> dict:
        levels = {lang.code: lang.level for lang in person.languages.all()}
        natives = [c for c, lvl in levels.items() if lvl == Cefr.NATIVE]
        initial: dict = {"mother_tongue": natives[0] if natives else ""}
        initial["other_languages"] = [c for c, lvl in levels.items()
                                      if c not in ASSESSED_LANGUAGES and c != initial["mother_tongue"]]
        for code in ASSESSED_LANGUAGES:
            initial[f"level_{code}"] = levels.get(code, "")
        return initial

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("region") and data.get("municipality"):
            data["region"] = data["municipality"].region
        return data

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
        """Return the person's fields as entered; an empty reference keeps the current one (or gets one)."""
        data = self.cleaned_data
        return {name: data[name] for name in PERSON_FORM_FIELDS if name != "reference" or data[name]}


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
    """Registration adds the first legal status, the duplicate acknowledgement and, for an adviser of
    several organisations, which one opens the file."""

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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.organisations = access.organisations(user, Role.ADVISER)
        if len(self.organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                label=_("File opened for"), choices=_blank("—") + [(o.pk, o.name) for o in self.organisations],
                widget=forms.Select(attrs={"class": "form-select"}))
            self.order_fields(["organisation"])

    def acting_organisation(self) -> Organisation:
        """Return the organisation the file is opened for (the adviser's only one, or the one chosen)."""
        return access.acting_organisation(self.user, role=Role.ADVISER,
                                          chosen=self.cleaned_data.get("organisation"))

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


class ConsentForm(StyledForm, forms.ModelForm):
    """A consent: its purposes and givers are the Consent model's (who may give it: the service)."""

    class Meta:
        model = Consent
        fields = ["purpose", "given_by"]


class PersonFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(label=_("Legal status"), required=False,
                               choices=_blank(_("All")) + list(LegalStatusKind.choices))
    language = forms.ChoiceField(label=_("Language"), required=False)
    age_band = forms.ChoiceField(label=_("Age"), required=False, choices=_blank(_("All")) + list(AgeBand.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.fields["region"], _blank(_("All")) + [(r.code, str(r)) for r in Region.objects.all()])
        set_choices(self.fields["language"], _blank(_("All")) + language_choices())
