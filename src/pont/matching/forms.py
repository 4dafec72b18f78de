"""Forms of the matching screens: they parse and label input; the services decide what is valid.

Skills and occupations are picked from `<select>` lists that a type-ahead box fills (htmx), so that a
taxonomy of thousands of concepts never renders in full.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.core.forms import StyledForm
from pont.core.i18n import language_choices
from pont.core.models import Municipality
from pont.matching.choices import ContractType, FeedbackOutcome, NotRetainedReason, VacancyStatus
from pont.matching.services import ProfileInput, VacancyInput
from pont.people.choices import Cefr
from pont.taxonomy.models import Occupation, Skill

LEVELS = [(c, label) for c, label in Cefr.choices if c != "none"]
LANGUAGE_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def _options(field: forms.Field, objects) -> None:
    """Render only `objects` as options of a model choice field (validation still accepts any row)."""
    field.widget.choices = [(obj.pk, obj.label()) for obj in objects]


class ProfileForm(StyledForm, forms.Form):
    """A person's skill profile: what they can do, what they look for, how far they can travel."""

    travel_radius_km = forms.IntegerField(label=_("Travel radius (km)"), min_value=1, max_value=300)
    driving_licence = forms.BooleanField(label=_("Driving licence"), required=False)
    has_car = forms.BooleanField(label=_("Has a car"), required=False)
    cross_border = forms.BooleanField(label=_("Willing to work across the border"), required=False)
    contract_wishes = forms.MultipleChoiceField(label=_("Contract wishes"), choices=ContractType.choices,
                                                required=False, widget=forms.CheckboxSelectMultiple,
                                                help_text=_("None ticked: any contract."))
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DateInput)
    skills = forms.ModelMultipleChoiceField(label=_("Skills"), queryset=Skill.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("Untick a skill to remove it."))
    add_skills = forms.ModelMultipleChoiceField(label=_("Add skills"), queryset=Skill.objects.all(),
                                                required=False)
    desired_occupations = forms.ModelMultipleChoiceField(
        label=_("Desired occupations"), queryset=Occupation.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple)
    add_desired = forms.ModelMultipleChoiceField(label=_("Add desired occupations"),
                                                 queryset=Occupation.objects.all(), required=False)
    add_past = forms.ModelChoiceField(label=_("Add a past occupation"), queryset=Occupation.objects.all(),
                                      required=False)
    add_past_years = forms.DecimalField(label=_("Years in it"), min_value=0, max_value=60, decimal_places=1,
                                        required=False)

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.past = list(profile.past_occupations.all()) if profile is not None and profile.pk else []
        current_skills = list(profile.skills.all()) if profile is not None and profile.pk else []
        desired = list(profile.desired_occupations.all()) if profile is not None and profile.pk else []
        _options(self.fields["skills"], current_skills)
        _options(self.fields["desired_occupations"], desired)
        _options(self.fields["add_skills"], [])
        _options(self.fields["add_desired"], [])
        _options(self.fields["add_past"], [])
        self.fields["add_skills"].widget.attrs.update(size=6, id="id_add_skills")
        self.fields["add_desired"].widget.attrs.update(size=4, id="id_add_desired")
        for past in self.past:
            self.fields[f"past_{past.occupation_id}"] = forms.DecimalField(
                label=past.occupation.label(), min_value=0, max_value=60, decimal_places=1, required=False,
                help_text=_("Years; empty removes it."))
            self.fields[f"past_{past.occupation_id}"].widget.attrs["class"] = "form-control"
        if not self.is_bound:
            self.initial.update(
                travel_radius_km=profile.travel_radius_km if profile else 30,
                driving_licence=profile.driving_licence if profile else False,
                has_car=profile.has_car if profile else False,
                cross_border=profile.cross_border if profile else True,
                contract_wishes=profile.contract_wishes if profile else [],
                available_from=profile.available_from if profile else None,
                skills=[s.pk for s in current_skills], desired_occupations=[o.pk for o in desired],
                **{f"past_{p.occupation_id}": p.years for p in self.past},
            )

    def past_fields(self):
        return [self[f"past_{p.occupation_id}"] for p in self.past]

    def profile_input(self) -> ProfileInput:
        data = self.cleaned_data
        past = [(p.occupation, data[f"past_{p.occupation_id}"]) for p in self.past
                if data.get(f"past_{p.occupation_id}") is not None]
        if data.get("add_past") is not None:
            past = [item for item in past if item[0].pk != data["add_past"].pk]
            past.append((data["add_past"], data.get("add_past_years") or 0))
        return ProfileInput(
            travel_radius_km=data["travel_radius_km"], driving_licence=data["driving_licence"],
            has_car=data["has_car"], cross_border=data["cross_border"],
            contract_wishes=list(data["contract_wishes"]), available_from=data.get("available_from"),
            skills=list(dict.fromkeys([*data["skills"], *data["add_skills"]])),
            desired_occupations=list(dict.fromkeys([*data["desired_occupations"], *data["add_desired"]])),
            past_occupations=past,
        )


class SiteForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name of the site"), max_length=120)
    municipality = forms.ModelChoiceField(label=_("Municipality"),
                                          queryset=Municipality.objects.select_related("region"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class VacancyForm(StyledForm, forms.Form):
    """Post or change a vacancy. A new vacancy takes its skills from ESCO; they are edited afterwards."""

    occupation = forms.ModelChoiceField(label=_("Occupation (ESCO)"), queryset=Occupation.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Empty: the occupation's name."))
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices)
    contract_months = forms.IntegerField(label=_("Length (months, fixed-term only)"), min_value=1, max_value=120,
                                         required=False)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60, initial=38)
    posts = forms.IntegerField(label=_("Number of posts"), min_value=1, max_value=500, initial=1)
    shop_floor_training = forms.BooleanField(
        label=_("Open to shop-floor training"), required=False,
        help_text=_("You can train a candidate on the job for missing skills (up to six months)."))
    status = forms.ChoiceField(label=_("Status"), choices=VacancyStatus.choices, initial=VacancyStatus.OPEN)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    essential_skills = forms.ModelMultipleChoiceField(label=_("Essential skills"), queryset=Skill.objects.all(),
                                                      required=False, widget=forms.CheckboxSelectMultiple)
    optional_skills = forms.ModelMultipleChoiceField(label=_("Optional skills"), queryset=Skill.objects.all(),
                                                     required=False, widget=forms.CheckboxSelectMultiple)
    add_essential = forms.ModelMultipleChoiceField(label=_("Add essential skills"), queryset=Skill.objects.all(),
                                                   required=False)
    add_optional = forms.ModelMultipleChoiceField(label=_("Add optional skills"), queryset=Skill.objects.all(),
                                                  required=False)

    def __init__(self, *args, sites, vacancy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        self.fields["site"].queryset = sites
        languages = [("", "—"), *language_choices()]
        for i in range(LANGUAGE_ROWS):
            self.fields[f"language_{i}"] = forms.ChoiceField(label=_("Required language"), choices=languages,
                                                             required=False)
            self.fields[f"level_{i}"] = forms.ChoiceField(label=_("Minimum level"), choices=[("", "—"), *LEVELS],
                                                          required=False)
            self.fields[f"language_{i}"].widget.attrs["class"] = "form-select"
            self.fields[f"level_{i}"].widget.attrs["class"] = "form-select"
        links = list(vacancy.skill_links.select_related("skill")) if vacancy is not None else []
        essential = [link.skill for link in links if link.relation == "essential"]
        optional = [link.skill for link in links if link.relation == "optional"]
        _options(self.fields["essential_skills"], essential)
        _options(self.fields["optional_skills"], optional)
        _options(self.fields["add_essential"], [])
        _options(self.fields["add_optional"], [])
        self.fields["add_essential"].widget.attrs.update(size=5, id="id_add_essential")
        self.fields["add_optional"].widget.attrs.update(size=5, id="id_add_optional")
        occupation = vacancy.occupation if vacancy is not None else None
        if self.is_bound and self.data.get("occupation"):
            occupation = Occupation.objects.filter(pk=str(self.data["occupation"])[:18]).first() \
                if str(self.data["occupation"]).isdigit() else None
        _options(self.fields["occupation"], [occupation] if occupation else [])
        self.fields["occupation"].widget.attrs.update(size=6, id="id_occupation")
        if vacancy is not None and not self.is_bound:
            self.initial.update({name: getattr(vacancy, name) for name in (
                "title", "contract_type", "contract_months", "hours_per_week", "posts", "shop_floor_training",
                "status", "description")})
            self.initial.update(occupation=vacancy.occupation_id, site=vacancy.site_id,
                                essential_skills=[s.pk for s in essential], optional_skills=[s.pk for s in optional])
            for i, lang in enumerate(vacancy.languages.all()[:LANGUAGE_ROWS]):
                self.initial[f"language_{i}"], self.initial[f"level_{i}"] = lang.code, lang.level
        if vacancy is None:
            for name in ("essential_skills", "optional_skills", "add_essential", "add_optional"):
                del self.fields[name]

    def language_rows(self):
        return [(self[f"language_{i}"], self[f"level_{i}"]) for i in range(LANGUAGE_ROWS)]

    def vacancy_input(self) -> VacancyInput:
        data = self.cleaned_data
        languages = {data[f"language_{i}"]: data[f"level_{i}"] for i in range(LANGUAGE_ROWS)
                     if data.get(f"language_{i}") and data.get(f"level_{i}")}
        result = VacancyInput(
            site=data["site"], occupation=data["occupation"], title=data["title"], description=data["description"],
            contract_type=data["contract_type"], contract_months=data.get("contract_months"),
            hours_per_week=data["hours_per_week"], posts=data["posts"],
            shop_floor_training=data["shop_floor_training"], status=data["status"], languages=languages)
        if self.vacancy is not None:
            optional_added = list(data["add_optional"])
            result.essential_skills = [s for s in dict.fromkeys([*data["essential_skills"], *data["add_essential"]])
                                       if s not in optional_added]
            result.optional_skills = [s for s in dict.fromkeys([*data["optional_skills"], *optional_added])
                                      if s not in result.essential_skills]
            if self.vacancy.occupation_id != data["occupation"].pk and not data["add_essential"] \
                    and not data["add_optional"]:
                result.essential_skills = result.optional_skills = None  # a new occupation: take ESCO's again
        return result


class FeedbackForm(StyledForm, forms.Form):
    outcome = forms.ChoiceField(label=_("Your decision"), choices=FeedbackOutcome.choices)
    reason = forms.ChoiceField(label=_("Reason (if not retained)"),
                               choices=[("", "—"), *NotRetainedReason.choices], required=False)
    start_date = forms.DateField(label=_("Start date (if hired)"), required=False, widget=DateInput,
                                 initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(forms.Form):
    vacancy = forms.IntegerField(min_value=1, max_value=2**62)
    note = forms.CharField(max_length=500, required=False)
