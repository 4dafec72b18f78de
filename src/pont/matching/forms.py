"""Forms of the matching screens: ModelForms over the records they edit, so that each field's limits and
choices, and the rules between fields, come from the model (its `full_clean()` runs when the form is
validated); the services then decide what spans several records.

Skills and occupations are picked from `<select>` lists that a type-ahead box fills (htmx), so that a
taxonomy of thousands of concepts never renders in full.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.core.forms import StyledForm
from pont.core.models import Municipality, Organisation
from pont.matching.choices import VACANCY_CONTRACT_CHOICES
from pont.matching.models import Feedback, PastOccupation, Proposal, Site, SkillProfile, Vacancy, VacancyLanguage
from pont.matching.selectors import Needs
from pont.matching.services import VACANCY_FIELDS, ProfileInput, VacancySkills
from pont.taxonomy.models import Occupation, Skill

LANGUAGE_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def formfield(field: models.Field, **kwargs: Any) -> Any:
    """Return the model field's form field with the bounds of its validators (so the number input shows them)."""
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    if lows and isinstance(field, models.IntegerField | models.DecimalField):
        kwargs.setdefault("min_value", max(lows))
    if highs and isinstance(field, models.IntegerField | models.DecimalField):
        kwargs.setdefault("max_value", min(highs))
    return field.formfield(**kwargs)


def _options(field: forms.Field, objects) -> None:
    """Render only `objects` as options of a model choice field (validation still accepts any row)."""
    field.widget.choices = [(obj.pk, obj.label()) for obj in objects]


def _empty_first(choices) -> list[tuple[str, Any]]:
    return [("", "—"), *[(code, label) for code, label in choices if code != ""]]


class ProfileForm(StyledForm, forms.ModelForm):
    """A person's skill profile: what they can do, what they look for, how far they can travel."""

    contract_wishes = forms.MultipleChoiceField(label=_("Contract wishes"), choices=VACANCY_CONTRACT_CHOICES,
                                                required=False, widget=forms.CheckboxSelectMultiple,
                                                help_text=_("None ticked: any contract."))
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
    add_past_years = formfield(PastOccupation._meta.get_field("years"), label=_("Years in it"), required=False)

    class Meta:
        model = SkillProfile
        fields = ["travel_radius_km", "driving_licence", "has_car", "cross_border", "contract_wishes",
                  "available_from"]
        formfield_callback = formfield
        labels = {"travel_radius_km": _("Travel radius (km)"), "driving_licence": _("Driving licence"),
                  "has_car": _("Has a car"), "cross_border": _("Willing to work across the border"),
                  "available_from": _("Available from")}
        widgets = {"available_from": DateInput}

    def __init__(self, *args, person, profile: SkillProfile | None = None, **kwargs):
        # The form validates a copy: the service compares the profile as it is with what the form gives.
        kwargs["instance"] = copy.copy(profile) if profile is not None else SkillProfile(person=person)
        super().__init__(*args, **kwargs)
        self.past = list(profile.past_occupations.all()) if profile is not None else []
        current_skills = list(profile.skills.all()) if profile is not None else []
        desired = list(profile.desired_occupations.all()) if profile is not None else []
        _options(self.fields["skills"], current_skills)
        _options(self.fields["desired_occupations"], desired)
        _options(self.fields["add_skills"], [])
        _options(self.fields["add_desired"], [])
        _options(self.fields["add_past"], [])
        self.fields["add_skills"].widget.attrs.update(size=6, id="id_add_skills")
        self.fields["add_desired"].widget.attrs.update(size=4, id="id_add_desired")
        years = PastOccupation._meta.get_field("years")
        for past in self.past:
            name = f"past_{past.occupation_id}"
            self.fields[name] = formfield(years, label=past.occupation.label(), required=False,
                                          help_text=_("Years; empty removes it."))
            self.fields[name].widget.attrs["class"] = "form-control"
        if not self.is_bound:
            self.initial.update(skills=[s.pk for s in current_skills], desired_occupations=[o.pk for o in desired],
                                **{f"past_{p.occupation_id}": _plain(p.years) for p in self.past})

    def past_fields(self):
        return [self[f"past_{p.occupation_id}"] for p in self.past]

    def profile_input(self) -> ProfileInput:
        data = self.cleaned_data
        past = [(p.occupation, data[f"past_{p.occupation_id}"]) for p in self.past
                if data.get(f"past_{p.occupation_id}") is not None]
        if data.get("add_past") is not None:
            past.append((data["add_past"], data.get("add_past_years") or 0))  # a later entry wins
        return ProfileInput(
            travel_radius_km=data["travel_radius_km"], driving_licence=data["driving_licence"],
            has_car=data["has_car"], cross_border=data["cross_border"],
            contract_wishes=list(data["contract_wishes"]), available_from=data.get("available_from"),
            skills=list(dict.fromkeys([*data["skills"], *data["add_skills"]])),
            desired_occupations=list(dict.fromkeys([*data["desired_occupations"], *data["add_desired"]])),
            past_occupations=past,
        )


class SiteForm(StyledForm, forms.ModelForm):
    """A new site of the employer's company (of one of them, chosen, for an employer of several)."""

    class Meta:
        model = Site
        fields = ["name", "municipality", "address"]
        labels = {"name": _("Name of the site"), "municipality": _("Municipality"), "address": _("Address")}

    def __init__(self, *args, employers: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.select_related("region")  # type: ignore[attr-defined]
        if len(employers) > 1:
            self.fields["employer"] = forms.ModelChoiceField(
                label=_("Employer"), queryset=Organisation.objects.filter(pk__in=[o.pk for o in employers]))
            self.fields["employer"].widget.attrs["class"] = "form-select"
            self.order_fields(["employer"])


class VacancyForm(StyledForm, forms.ModelForm):
    """Post or change a vacancy. A new vacancy takes its skills from ESCO; they are edited afterwards."""

    essential_skills = forms.ModelMultipleChoiceField(label=_("Essential skills"), queryset=Skill.objects.all(),
                                                      required=False, widget=forms.CheckboxSelectMultiple)
    optional_skills = forms.ModelMultipleChoiceField(label=_("Optional skills"), queryset=Skill.objects.all(),
                                                     required=False, widget=forms.CheckboxSelectMultiple)
    add_essential = forms.ModelMultipleChoiceField(label=_("Add essential skills"), queryset=Skill.objects.all(),
                                                   required=False)
    add_optional = forms.ModelMultipleChoiceField(label=_("Add optional skills"), queryset=Skill.objects.all(),
                                                  required=False)

    class Meta:
        model = Vacancy
        fields = ["occupation", "title", "site", "contract_type", "contract_months", "hours_per_week", "posts",
                  "shop_floor_training", "status", "description"]
        formfield_callback = formfield
        labels = {"occupation": _("Occupation (ESCO)"), "title": _("Title"), "site": _("Site"),
                  "contract_type": _("Contract"), "contract_months": _("Length (months, fixed-term only)"),
                  "hours_per_week": _("Hours per week"), "posts": _("Number of posts"),
                  "shop_floor_training": _("Open to shop-floor training"), "status": _("Status"),
                  "description": _("Description")}
        help_texts = {"title": _("Empty: the occupation's name."),
                      "shop_floor_training": _("You can train a candidate on the job for missing skills "
                                               "(up to six months).")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, sites, vacancy: Vacancy | None = None, **kwargs):
        # The form validates a copy: the service compares the vacancy as it is with what the form gives.
        kwargs["instance"] = copy.copy(vacancy) if vacancy is not None else Vacancy()
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["title"].required = False  # the service names it after the occupation
        languages = list(vacancy.languages.all()) if vacancy is not None else []
        self.language_count = max(LANGUAGE_ROWS, len(languages))
        codes = _empty_first(VacancyLanguage._meta.get_field("code").choices)
        levels = _empty_first(VacancyLanguage._meta.get_field("level").choices)
        for i in range(self.language_count):
            self.fields[f"language_{i}"] = forms.ChoiceField(label=_("Required language"), choices=codes,
                                                             required=False)
            self.fields[f"level_{i}"] = forms.ChoiceField(label=_("Minimum level"), choices=levels, required=False)
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
            self.initial.update(essential_skills=[s.pk for s in essential], optional_skills=[s.pk for s in optional])
            for i, lang in enumerate(languages):
                self.initial[f"language_{i}"], self.initial[f"level_{i}"] = lang.code, lang.level
        if vacancy is None:
            for name in ("essential_skills", "optional_skills", "add_essential", "add_optional"):
                del self.fields[name]

    def language_rows(self):
        return [(self[f"language_{i}"], self[f"level_{i}"]) for i in range(self.language_count)]

    def vacancy_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in VACANCY_FIELDS}

    def vacancy_lists(self) -> VacancySkills:
        data = self.cleaned_data
        lists = VacancySkills(languages={data[f"language_{i}"]: data[f"level_{i}"] for i in range(self.language_count)
                                         if data.get(f"language_{i}") and data.get(f"level_{i}")})
        if self.vacancy is not None:
            new_occupation = self.vacancy.occupation_id != data["occupation"].pk
            if not (new_occupation and not data["add_essential"] and not data["add_optional"]):
                # An added optional skill moves out of the essential ones; one in both lists is essential.
                added_optional = list(data["add_optional"])
                lists.essential = [s for s in dict.fromkeys([*data["essential_skills"], *data["add_essential"]])
                                   if s not in added_optional]
                lists.optional = [*data["optional_skills"], *added_optional]
            # else: a new occupation without skills added takes ESCO's again (lists left as None)
        return lists


class FeedbackForm(StyledForm, forms.ModelForm):
    """The employer's answer about a candidate."""

    class Meta:
        model = Feedback
        fields = ["outcome", "reason", "start_date", "note"]
        labels = {"outcome": _("Your decision"), "reason": _("Reason (if not retained)"),
                  "start_date": _("Start date (if hired)"), "note": _("Note")}
        widgets = {"start_date": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs["instance"] = Feedback(proposal=proposal)
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        outcome, reason = self.fields["outcome"], self.fields["reason"]
        outcome.choices = [(c, label) for c, label in outcome.choices if c != ""]  # type: ignore[attr-defined]
        reason.choices = _empty_first(reason.choices)  # type: ignore[attr-defined]


class ProposeForm(forms.ModelForm):
    """The vacancy an adviser proposes a person for, with a note to the employer."""

    class Meta:
        model = Proposal
        fields = ["vacancy", "note"]

    def __init__(self, *args, person, vacancies, **kwargs):
        kwargs["instance"] = Proposal(person=person)
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = vacancies  # type: ignore[attr-defined]


class NeedsForm(StyledForm, forms.Form):
    """What an employer looks for, without a vacancy (a search: nothing is saved)."""

    site = forms.ModelChoiceField(label=_("Workplace"), queryset=Site.objects.none(),
                                  help_text=_("Distances and the right to work are counted from this site."))
    occupation = forms.ModelChoiceField(label=_("Occupation (ESCO)"), queryset=Occupation.objects.all(),
                                        required=False)
    skills = forms.ModelMultipleChoiceField(label=_("Skills you need"), queryset=Skill.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("None chosen: the occupation's essential ESCO skills."))
    add_skills = forms.ModelMultipleChoiceField(label=_("Add skills"), queryset=Skill.objects.all(), required=False)
    contract_type = forms.ChoiceField(label=_("Contract"), required=False,
                                      choices=[("", _("Any contract")), *VACANCY_CONTRACT_CHOICES])
    near = forms.BooleanField(label=_("Within their travel radius only"), required=False)
    no_permit = forms.BooleanField(label=_("No work permit needed"), required=False)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        codes = _empty_first(VacancyLanguage._meta.get_field("code").choices)
        levels = _empty_first(VacancyLanguage._meta.get_field("level").choices)
        for i in range(2):
            self.fields[f"language_{i}"] = forms.ChoiceField(label=_("Required language"), choices=codes,
                                                             required=False)
            self.fields[f"level_{i}"] = forms.ChoiceField(label=_("Minimum level"), choices=levels, required=False)
            self.fields[f"language_{i}"].widget.attrs["class"] = "form-select"
            self.fields[f"level_{i}"].widget.attrs["class"] = "form-select"
        chosen_occupation, chosen_skills = None, []
        if self.is_bound:
            raw = str(self.data.get("occupation", ""))[:18]
            chosen_occupation = Occupation.objects.filter(pk=raw).first() if raw.isdigit() else None
            ids = [v for v in self.data.getlist("skills")[:50] if str(v).isdigit()] \
                if hasattr(self.data, "getlist") else []
            chosen_skills = list(Skill.objects.filter(pk__in=ids))
        _options(self.fields["occupation"], [chosen_occupation] if chosen_occupation else [])
        _options(self.fields["skills"], chosen_skills)
        _options(self.fields["add_skills"], [])
        self.fields["occupation"].widget.attrs.update(size=5, id="id_occupation")
        self.fields["add_skills"].widget.attrs.update(size=5, id="id_add_skills")

    def show_skills(self, skills) -> None:
        """List `skills` (those searched for) as ticked boxes, so that the next search starts from them."""
        _options(self.fields["skills"], skills)
        data = QueryDict(mutable=True)
        data.update(self.data)
        data.setlist("skills", [str(s.pk) for s in skills])
        data.setlist("add_skills", [])
        self.data = data

    def language_rows(self):
        return [(self[f"language_{i}"], self[f"level_{i}"]) for i in range(2)]

    def needs(self) -> Needs:
        data = self.cleaned_data
        skills = tuple(dict.fromkeys([*(data.get("skills") or ()), *(data.get("add_skills") or ())]))
        return Needs(site=data["site"], occupation=data.get("occupation"), skills=skills,
                     languages={data[f"language_{i}"]: data[f"level_{i}"] for i in range(2)
                                if data.get(f"language_{i}") and data.get(f"level_{i}")},
                     contract_type=data.get("contract_type") or "")


def _plain(years):
    """12 years, not "12.0"; 2.5 stays 2.5."""
    return int(years) if years is not None and years == int(years) else years
