from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from pont.core.models import ApiToken, Membership, Municipality, Organisation, Region, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class PontUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Pont", {"fields": ("language",)}))


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("name",)
    filter_horizontal = ("regions",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "country")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "postcode", "region")
    list_filter = ("region",)
    search_fields = ("name", "postcode")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("hint", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "hint", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are issued with `manage.py issue_token` so the raw key is shown once
