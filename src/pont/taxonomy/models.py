"""ESCO, the EU's multilingual classification of occupations and skills: the common language of matching.

Concepts are keyed by their ESCO URI (`conceptUri`), so a re-import updates rather than duplicates.
Preferred labels per language sit on the concept for display; every preferred and alternative label is
also a row of its own (`OccupationLabel`, `SkillLabel`) so that type-ahead searches them in the user's
language.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

FALLBACK_LANGUAGES = ("en", "fr", "nl")


class SkillType(models.TextChoices):
    SKILL = "skill/competence", _("Skill or competence")
    KNOWLEDGE = "knowledge", _("Knowledge")
    OTHER = "", _("Not stated")


class Relation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class Concept(models.Model):
    """What occupations and skills share: the URI, the ESCO status and the preferred label per language."""

    uri = models.CharField(_("ESCO URI"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=16, blank=True)
    labels = models.JSONField(_("preferred labels"), default=dict, blank=True)  # {"fr": "…", "nl": "…"}

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        """Return the preferred label in `language` (default: the active one), else in a fallback language."""
        language = (language or translation.get_language() or "en").split("-")[0]
        for code in (language, *FALLBACK_LANGUAGES):
            if self.labels.get(code):
                return self.labels[code]
        return next(iter(self.labels.values()), self.uri)


class Occupation(Concept):
    """An ESCO occupation (e.g. "welder"), with its ISCO-08 group and ESCO code."""

    code = models.CharField(_("ESCO code"), max_length=32, blank=True)
    isco_group = models.CharField(_("ISCO group"), max_length=8, blank=True)
    skills: models.ManyToManyField[Skill, OccupationSkill] = models.ManyToManyField(
        "Skill", through="OccupationSkill", related_name="occupations")

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class Skill(Concept):
    """An ESCO skill, competence or piece of knowledge (e.g. "use welding equipment")."""

    skill_type = models.CharField(_("type"), max_length=24, choices=SkillType.choices, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class SkillBroader(models.Model):
    """ESCO's hierarchy (broaderRelationsSkillPillar): the skill sits under a broader concept, a skill group
    such as "welding" or a broader skill. Matching reads it to give related skills partial credit."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="broader_links")
    broader_uri = models.CharField(_("broader concept"), max_length=255, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["skill", "broader_uri"], name="skillbroader_unique")]
        verbose_name = _("broader concept of a skill")
        verbose_name_plural = _("broader concepts of skills")

    def __str__(self) -> str:
        return f"{self.skill} ⊂ {self.broader_uri}"


class OccupationSkill(models.Model):
    """ESCO's statement that an occupation needs a skill, essentially or optionally."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="relations")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="relations")
    relation = models.CharField(_("relation"), max_length=9, choices=Relation.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occupation", "skill"], name="occupationskill_unique")]
        verbose_name = _("occupation–skill relation")
        verbose_name_plural = _("occupation–skill relations")

    def __str__(self) -> str:
        return f"{self.occupation} — {self.skill} ({self.relation})"


class Label(models.Model):
    """One preferred or alternative label of a concept in one language, with its search form."""

    language = models.CharField(_("language"), max_length=8)
    text = models.CharField(_("label"), max_length=500)
    search = models.CharField(max_length=500)  # lower-case ASCII of `text`, for accent-tolerant search
    preferred = models.BooleanField(_("preferred"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.text} ({self.language})"


class OccupationLabel(Label):
    """A label of an occupation (preferred or alternative) in one language."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="all_labels")

    class Meta:
        indexes = [models.Index(fields=["language", "search"])]
        verbose_name = _("occupation label")
        verbose_name_plural = _("occupation labels")


class SkillLabel(Label):
    """A label of a skill (preferred or alternative) in one language."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="all_labels")

    class Meta:
        indexes = [models.Index(fields=["language", "search"])]
        verbose_name = _("skill label")
        verbose_name_plural = _("skill labels")
