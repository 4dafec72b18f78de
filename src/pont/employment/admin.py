from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from pont.employment.models import (
    CoachingSession,
    EmploymentTarget,
    Enrolment,
    FollowUp,
    LanguageTraining,
    Placement,
    Programme,
)


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ("name", "organisation", "kind", "capacity", "capacity_period", "max_duration_months", "active")
    list_filter = ("organisation", "kind", "active")


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("person", "programme", "status", "proposed_on", "enrolled_on", "started_on")
    list_filter = ("status", "programme")
    raw_id_fields = ("person",)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ("person", "employer_name", "job_title", "contract_type", "start_date", "ended_on")
    list_filter = ("contract_type",)
    raw_id_fields = ("person", "enrolment")
    inlines = [FollowUpInline]


admin.site.register(CoachingSession)
admin.site.register(LanguageTraining)
admin.site.register(EmploymentTarget)
