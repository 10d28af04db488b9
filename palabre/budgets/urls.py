from django.urls import include, path

from palabre.budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.index, name="index"),
    path("nouveau/", views.new_process, name="new_process"),
    path("<slug:slug>/", views.process, name="process"),
    path("<slug:slug>/idees/", include("palabre.budgets.idea_urls")),
    path("<slug:slug>/code/", views.enter_code, name="enter_code"),
    path("<slug:slug>/code-par-message/", views.by_message, name="by_message"),
    path("<slug:slug>/code-par-message/saisir/", views.message_code, name="message_code"),
    path("<slug:slug>/sur-place/", views.in_person, name="in_person"),
    path("<slug:slug>/recu/", views.receipt, name="receipt"),
    path("<slug:slug>/votant/<str:token>/", views.voter, name="voter"),
    path("<slug:slug>/votant/<str:token>/bulletin/<int:envelope>/", views.ballot, name="ballot"),
    path("<slug:slug>/resultats/<int:envelope>/", views.results, name="results"),
    path("<slug:slug>/resultats/<int:envelope>/bulletins.pb", views.recount, name="recount"),
    # Paper ballots.
    path("<slug:slug>/papier/<int:envelope>/", views.paper, name="paper"),
    path(
        "<slug:slug>/papier/<int:envelope>/differences/",
        views.paper_differences,
        name="paper_differences",
    ),
    path(
        "<slug:slug>/papier/<int:envelope>/<int:number>/",
        views.resolve_paper,
        name="resolve_paper",
    ),
    path("<slug:slug>/papier/<int:envelope>/bulletin.pdf", views.paper_ballot, name="paper_ballot"),
    # The service's page and what it posts.
    path("<slug:slug>/gerer/", views.manage, name="manage"),
    path("<slug:slug>/gerer/regles/", views.set_rules, name="set_rules"),
    path("<slug:slug>/gerer/figer/", views.freeze, name="freeze"),
    path("<slug:slug>/gerer/enveloppes/", views.add_envelope, name="add_envelope"),
    path("<slug:slug>/gerer/projets/", views.add_project, name="add_project"),
    path("<slug:slug>/gerer/codes/", views.make_codes, name="make_codes"),
    path(
        "<slug:slug>/gerer/codes/<int:batch>/lettres.pdf", views.code_letters, name="code_letters"
    ),
    path("<slug:slug>/gerer/clore/", views.close, name="close"),
    path("<slug:slug>/gerer/publier/", views.publish, name="publish"),
]
