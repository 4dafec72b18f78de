from modeltranslation.translator import TranslationOptions, register

from pont.core.models import Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
