"""Translated fields of the network app (fr/nl/en)."""

from modeltranslation.translator import TranslationOptions, register

from pont.network.models import Offer


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("title", "description")
