from django.urls import path

from pont.matching import views

app_name = "matching"

urlpatterns = [
    path("vacancies/", views.vacancy_list, name="vacancy_list"),
    path("vacancies/new/", views.vacancy_create, name="vacancy_create"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:pk>/candidates/", views.candidate_search, name="candidate_search"),
    path("vacancies/<int:pk>/introductions/", views.introduction_request, name="introduction_request"),
    path("candidates/", views.needs_search, name="needs_search"),
    path("candidates/ask/", views.needs_introduction, name="needs_introduction"),
    path("introductions/", views.introductions, name="introductions"),
    path("introductions/<int:pk>/answer/", views.introduction_answer, name="introduction_answer"),
    path("sites/", views.site_list, name="sites"),
    path("skills/options/", views.skill_options, name="skill_options"),
    path("skills/suggestions/", views.skill_suggestions, name="skill_suggestions"),
    path("occupations/options/", views.occupation_options, name="occupation_options"),
    path("people/<int:person_pk>/profile/", views.profile, name="profile"),
    path("people/<int:person_pk>/matches/", views.person_matches, name="person_matches"),
    path("people/<int:person_pk>/propose/", views.propose, name="propose"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/feedback/", views.proposal_feedback, name="proposal_feedback"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
]
