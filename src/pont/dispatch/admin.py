from django.contrib import admin

from pont.dispatch.models import Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("organisation", "window_from", "window_to", "status", "created_at")
    list_filter = ("status", "organisation")
