from django.urls import path

from pont.care import agreement_views, rota_views, views

app_name = "care"

urlpatterns = [
    path("help/", views.public_signal, name="public_signal"),
    path("signals/", views.queue, name="queue"),
    path("signals/new/", views.signal_create, name="signal_create"),
    path("signals/<int:pk>/", views.signal_detail, name="signal"),
    path("signals/<int:pk>/triage/", views.signal_triage, name="triage"),
    path("signals/<int:pk>/first-contact/", views.signal_first_contact, name="first_contact"),
    path("signals/<int:pk>/handover/", views.signal_handover, name="handover"),
    path("signals/<int:pk>/vital-interest/", views.signal_vital_interest, name="vital_interest"),
    path("signals/<int:pk>/notes/", views.note_create, name="note_create"),
    path("signals/<int:pk>/close/", views.signal_close, name="close"),
    path("signals/<int:pk>/merge/", views.signal_merge, name="merge"),
    path("signals/<int:pk>/keep-apart/", views.signal_keep_apart, name="keep_apart"),
    path("signals/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("signals/<int:pk>/screenings/<slug:code>/", views.screening_create, name="screening_create"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("visits/", views.agenda, name="agenda"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/report/", views.visit_report, name="visit_report"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("teams/", views.teams, name="teams"),
    path("rota/", rota_views.rota_page, name="rota"),
    path("rota/<int:pk>/remove/", rota_views.slot_remove, name="rota_remove"),
    path("push/subscribe/", rota_views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", rota_views.push_unsubscribe, name="push_unsubscribe"),
    path("agreements/", agreement_views.agreement_list, name="agreements"),
    path("agreements/new/", agreement_views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/confirm/", agreement_views.agreement_confirm, name="agreement_confirm"),
    path("agreements/<int:pk>/end/", agreement_views.agreement_end, name="agreement_end"),
    path("persons/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
    path("persons/<int:person_pk>/request/", views.person_request, name="person_request"),
]
