from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pont.people.models import Consent, LegalStatus, Person, PersonFile, PersonLanguage


class FileInline(admin.TabularInline):
    model = PersonFile
    extra = 0


class LanguageInline(admin.TabularInline):
    model = PersonLanguage
    extra = 0


class StatusInline(admin.TabularInline):
    model = LegalStatus
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "family_name", "given_name", "date_of_birth", "region", "current_status")
    list_filter = ("region", "current_status", "unaccompanied_minor")
    search_fields = ("reference", "search_name")
    inlines = [FileInline, LanguageInline, StatusInline, ConsentInline]
    readonly_fields = ("current_status",)
