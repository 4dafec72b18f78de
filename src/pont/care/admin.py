"""Admin for the care app's reference data (teams, members, targets, loaded instruments). Care records
themselves are not offered here: they are read through the app's audited selectors only."""

from django.contrib import admin

from pont.care.models import Instrument, ResponseTarget, Team, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "country", "base", "active"]
    list_filter = ["country", "active"]
    inlines = [TeamMemberInline]


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin):
    list_display = ["organisation", "category", "minutes"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "organisation", "loaded_at"]
