from django.urls import path

from pont.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("duplicates/", views.duplicate_check, name="duplicates"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/statuses/", views.legal_status_add, name="status_add"),
    path("<int:pk>/statuses/<int:status_pk>/", views.legal_status_edit, name="status_edit"),
    path("<int:pk>/consents/", views.consent_add, name="consent_add"),
    path("<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
