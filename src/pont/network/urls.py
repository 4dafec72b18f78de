from django.urls import path

from pont.network import views

app_name = "network"

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
]
