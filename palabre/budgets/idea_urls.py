from django.urls import path  # noqa: F401 - the ideas pages come next

# The ideas of a process, their feasibility review and their projects (idea_views.py).
urlpatterns: list = []
