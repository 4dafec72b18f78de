from django.urls import path

from pont.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:code>.<str:extension>", views.export, name="export"),
]
