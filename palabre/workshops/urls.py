from django.urls import path

from palabre.workshops import views

app_name = "workshops"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/inscriptions/", views.registrations, name="registrations"),
    path("<int:pk>/statut/", views.change_status, name="change_status"),
    path("<int:pk>/modifier/", views.edit_workshop, name="edit_workshop"),
    path("<int:pk>/textes/", views.workshop_texts, name="workshop_texts"),
    path("<int:pk>/textes/apercu-<str:language>.pdf", views.flyer_preview, name="flyer_preview"),
    path("<int:pk>/invitations/", views.invitations, name="invitations"),
    path("<int:pk>/programme/", views.programme, name="programme"),
    path("<int:pk>/programme/<int:session>/", views.edit_session, name="edit_session"),
    path(
        "<int:pk>/programme/<int:session>/traductions/",
        views.session_texts,
        name="session_texts",
    ),
    path("<int:pk>/accueil/", views.check_in, name="check_in"),
    path("<int:pk>/compte-rendu/", views.minutes, name="minutes"),
    path("<int:pk>/compte-rendu/rediger/", views.edit_minutes, name="edit_minutes"),
    path("<int:pk>/compte-rendu.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/feuille-de-presence.pdf", views.sign_in_sheet, name="sign_in_sheet"),
    path(
        "<int:pk>/feuille-de-presence/encoder/",
        views.enter_sign_in_sheet,
        name="enter_sign_in_sheet",
    ),
    path("mes-ateliers/", views.mine, name="mine"),
    path("chiffres/", views.figures, name="figures"),
    path("invitations/<str:code>.pdf", views.invitation_pdf, name="invitation_pdf"),
    path("inscription/<str:token>/", views.registration, name="registration"),
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/nouveau/", views.new_cycle, name="new_cycle"),
    path("cycles/<slug:slug>/", views.planning, name="planning"),
    path("cycles/<slug:slug>/dupliquer/", views.duplicate_cycle, name="duplicate_cycle"),
    path("cycles/<slug:slug>/nouvel-atelier/", views.new_workshop, name="new_workshop"),
    path("cycles/<slug:slug>/calendrier.ics", views.cycle_calendar, name="cycle_calendar"),
    path(
        "quartier/<slug:slug>/calendrier.ics",
        views.neighbourhood_calendar,
        name="neighbourhood_calendar",
    ),
]
