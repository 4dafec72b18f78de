"""Translated fields of the employment app (fr/nl/en).

simple-history is registered here, *after* the translator, because a HistoricalRecords field declared
on a translated model breaks (PITFALLS.md; simple-history #209, #1131).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from pont.employment.models import Programme


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "description")


simple_history.register(Programme)
