from django.urls import path

from pont.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("infographic/", views.infographic_page, name="infographic"),
    path("infographic.<str:extension>", views.infographic_download, name="infographic_download"),
    path("extracts/", views.extracts, name="extracts"),
    path("extracts/<int:pk>/", views.extract_row, name="extract"),
    path("extracts/<int:pk>/download", views.extract_download, name="extract_download"),
    path("extracts/<int:pk>/delete", views.extract_delete, name="extract_delete"),
    path("<slug:code>.<str:extension>", views.export, name="export"),
    path("<slug:code>/", views.indicator_page, name="indicator"),
]
