"""URL map: the UI by app, the API under /api/v1, Django admin for superusers."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pont import views
from pont.api import api
from pont.audit import views as audit_views
from pont.core import views as core_views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", core_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", core_views.language, name="language"),
    path("2fa/setup/", core_views.otp_setup, name="otp_setup"),
    path("2fa/verify/", core_views.otp_verify, name="otp_verify"),
    path("audit/", audit_views.audit_trail, name="audit_trail"),
    path("health/", core_views.health, name="health"),
    path("people/", include("pont.people.urls")),
    path("jobs/", include("pont.matching.urls")),
    path("employment/", include("pont.employment.urls")),
    path("network/", include("pont.network.urls")),
    path("care/", include("pont.care.urls")),
    path("dispatch/", include("pont.dispatch.urls")),
    path("reporting/", include("pont.reporting.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
