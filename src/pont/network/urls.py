from django.urls import path

from pont.network import views

app_name = "network"

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
]
