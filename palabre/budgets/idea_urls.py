from django.urls import path

from palabre.budgets import idea_views as views

# The ideas of a process, their feasibility review and their projects (idea_views.py), under
# <slug>/idees/ in the `budgets` namespace.
urlpatterns = [
    path("", views.ideas, name="ideas"),
    path("proposer/", views.propose_idea, name="propose_idea"),
    path("papier/", views.paper_idea, name="paper_idea"),
    path(
        "contribution/<int:contribution>/",
        views.idea_from_contribution,
        name="idea_from_contribution",
    ),
    path("action-citoyenne/<int:initiative>/", views.ask_funding, name="ask_funding"),
    path("<int:pk>/", views.idea, name="idea"),
    path("<int:pk>/fusionner/", views.merge_idea, name="merge_idea"),
    path("<int:pk>/examen/", views.send_for_review, name="send_for_review"),
    path("<int:pk>/estimation/", views.record_estimate, name="record_estimate"),
    path("projets/", views.projects, name="projects"),
    path("projets/nouveau/", views.make_project, name="make_project"),
    path("projets/suivi/", views.follow_projects, name="follow_projects"),
    path("projets/<int:project>/suivi/", views.follow_project, name="follow_project"),
]
