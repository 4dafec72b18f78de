from django.urls import path

from pont.dispatch import views

app_name = "dispatch"

urlpatterns = [
    path("plans/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/accept/", views.plan_accept, name="plan_accept"),
]
