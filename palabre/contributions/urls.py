from django.urls import path

from palabre.contributions import views

app_name = "contributions"
urlpatterns = [
    path("atelier/<int:pk>/", views.capture, name="capture"),
    path("atelier/<int:pk>/feuilles.pdf", views.capture_sheets, name="capture_sheets"),
    path("atelier/<int:pk>/papier/", views.type_in_sheets, name="type_in_sheets"),
    path("quartier/<slug:slug>/", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("suivi/<str:token>/", views.follow, name="follow"),
    path("<int:pk>/moi-aussi/", views.me_too, name="me_too"),
    path("<int:pk>/themes/", views.add_theme, name="add_theme"),
    path("<int:pk>/corriger/", views.correct_note, name="correct_note"),
    path("<int:pk>/supprimer/", views.withdraw_note, name="withdraw_note"),
    path("<int:pk>/recours/", views.appeal, name="appeal"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("recherche/", views.search, name="search"),
    path("transcrire/", views.transcribe, name="transcribe"),
    path("moderation/", views.moderation, name="moderation"),
    # The service's settings; "themes/" cannot be read as "<int:pk>/themes/" (add_theme).
    path("themes/", views.themes, name="themes"),
    path("panneaux/", views.boards, name="boards"),
    path("panneaux/<slug:slug>/", views.board_settings, name="board_settings"),
    path("<int:pk>/moderer/", views.moderate, name="moderate"),
    path("synthese/atelier/<int:pk>/", views.workshop_synthesis, name="workshop_synthesis"),
    path(
        "synthese/quartier/<slug:slug>/",
        views.neighbourhood_synthesis,
        name="neighbourhood_synthesis",
    ),
    path(
        "synthese/quartier/<slug:slug>/pdf/",
        views.neighbourhood_report,
        name="neighbourhood_report",
    ),
    path("synthese/cycle/<slug:slug>/", views.cycle_synthesis, name="cycle_synthesis"),
]
