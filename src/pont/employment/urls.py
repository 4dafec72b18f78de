from django.urls import path

from pont.employment import views

app_name = "employment"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("people/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
    path("people/<int:person_pk>/eligibility/", views.eligibility, name="eligibility"),
    path("people/<int:person_pk>/enrol/", views.enrolment_create, name="enrolment_create"),
    path("people/<int:person_pk>/coaching/", views.coaching_create, name="coaching_create"),
    path("people/<int:person_pk>/language/", views.language_training_create, name="language_training_create"),
    path("people/<int:person_pk>/placements/new/", views.placement_create, name="placement_create"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/status/", views.enrolment_transition, name="enrolment_transition"),
    path("language/<int:pk>/assess/", views.language_assessment_add, name="language_assessment_add"),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("followups/", views.followups_due, name="followups_due"),
    path("followups/<int:pk>/", views.followup_record, name="followup_record"),
    path("target/", views.target_edit, name="target_edit"),
]
