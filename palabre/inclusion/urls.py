from django.urls import path

from palabre.inclusion import views

app_name = "inclusion"
urlpatterns = [
    path("<int:pk>/", views.questionnaire, name="questionnaire"),
    path("<int:pk>/merci/", views.thanks, name="thanks"),
    path("<int:pk>/partager/", views.share, name="share"),
    path("<int:pk>/questionnaire.pdf", views.paper_pdf, name="paper_pdf"),
    path("<int:pk>/papier/", views.paper, name="paper"),
    path("portee/", views.reach, name="reach"),
    path("portee.csv", views.reach_csv, name="reach_csv"),
    path("population/", views.population, name="population"),
]
