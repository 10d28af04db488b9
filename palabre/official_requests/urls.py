from django.urls import path

from palabre.official_requests import views

app_name = "official_requests"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("nouvelle/", views.draft, name="draft"),
    path("portail/", views.portal, name="portal"),
    path("services/", views.departments, name="departments"),
    path("cabinets/", views.cabinets, name="cabinets"),
    path("jours-fermes/", views.closed_days, name="closed_days"),
    path("modeles/", views.answer_templates, name="answer_templates"),
    path("modeles/<int:pk>/", views.answer_template, name="answer_template"),
    path("redevabilite/", views.figures, name="figures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/action/", views.act, name="act"),
    path("<int:pk>/traductions/", views.request_texts, name="texts"),
    path("<int:pk>/reponse.png", views.answer_document, name="answer_document"),
    path("<int:pk>/nouvelles/<int:update>.png", views.update_photo, name="update_photo"),
    path("<int:pk>/suivre/", views.follow, name="follow"),
    path("<int:pk>/suivre-sans-compte/", views.follow_by_contact, name="follow_by_contact"),
    path("suivi/<str:token>/", views.followed, name="followed"),
    path("<int:pk>/questions/<int:question>/repondre/", views.reply, name="reply"),
    path("<int:pk>/questions/<int:question>/papier/", views.paper_replies, name="paper_replies"),
    path("quartier/<slug:slug>/depuis/pdf/", views.since_last_time, name="since_last_time"),
    path("atelier/<int:pk>/depuis/pdf/", views.since_last_time_for, name="since_last_time_for"),
]
