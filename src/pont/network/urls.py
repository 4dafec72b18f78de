from django.urls import path

from pont.network import views

app_name = "network"

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/mine/", views.offers_mine, name="offers_mine"),
    path("offers/new/", views.offer_edit, name="offer_create"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/import/", views.offers_upload, name="offers_upload"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/ask/", views.referral_ask, name="referral_ask"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("exchange/", views.exchange_list, name="exchange"),
    path("exchange/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
]
