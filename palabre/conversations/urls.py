from django.urls import path

from palabre.conversations import card_views, room_views, transfer_views, views

app_name = "conversations"
urlpatterns = [
    path("", views.index, name="index"),
    path("nouvelle/", views.new_conversation, name="new"),
    path("importer/", transfer_views.import_export, name="import"),
    path("<slug:slug>/", views.conversation, name="conversation"),
    path("<slug:slug>/voter/", views.vote, name="vote"),
    path("<slug:slug>/proposer/", views.propose, name="propose"),
    path("<slug:slug>/effacer-mes-votes/", views.forget, name="forget"),
    path("<slug:slug>/map.json", views.map_json, name="map_json"),
    # The map: its page (the text version), the projector's view and the report for the minutes.
    path("<slug:slug>/carte/", room_views.map_page, name="map"),
    path("<slug:slug>/projection/", room_views.projector, name="projector"),
    path("<slug:slug>/rapport.pdf", room_views.report, name="report"),
    # Paper cards in the room.
    path("<slug:slug>/cartes/", card_views.cards, name="cards"),
    path("<slug:slug>/cartes/cartes.pdf", card_views.cards_pdf, name="cards_pdf"),
    path("<slug:slug>/cartes/saisir/", card_views.key_card, name="key_card"),
    # Export in Pol.is' format.
    path("<slug:slug>/export/<str:csv_file>", transfer_views.export, name="export"),
    # What those who run it post.
    path("<slug:slug>/gerer/", views.manage, name="manage"),
    path("<slug:slug>/gerer/affirmations/", views.seed, name="seed"),
    path("<slug:slug>/gerer/moderer/<int:pk>/", views.moderate, name="moderate"),
]
