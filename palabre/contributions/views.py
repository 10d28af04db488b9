from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.contributions import actions, permissions, queries, synthesis
from palabre.contributions.forms import (
    AppealForm,
    BlurForm,
    BoardPostForm,
    BoardSettingsForm,
    CaptureForm,
    DecideAppealForm,
    HideForm,
    NoteCorrectionForm,
    SearchForm,
    SheetsForm,
    ThemeNameForm,
    TranscribeForm,
)
from palabre.contributions.models import (
    AppealStatus,
    Board,
    Contribution,
    Photo,
    Status,
    Theme,
)
from palabre.contributions.permissions import can_capture
from palabre.contributions.printing import capture_sheets_pdf, report_pdf, sheet_code
from palabre.contributions.search import search as search_contributions
from palabre.core import offline
from palabre.core.forms import ids
from palabre.core.images import clean_image
from palabre.core.shortcuts import png_response, render_page, require
from palabre.core.throttle import limit_anonymous_writes
from palabre.core.translations import page_language
from palabre.links.views import link_gone
from palabre.neighbourhoods.models import Neighbourhood
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.workshops.models import Workshop, new_token
from palabre.workshops.queries import cycles, visible_workshops


def _capturable(request: HttpRequest, pk: int) -> Workshop:
    """A workshop whose notes `request.user` captures, fetched through the visibility query."""
    try:
        workshop = visible_workshops(request.user).get(pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None
    require(can_capture(request.user, workshop), hide=True)
    return workshop


def _with_sheets(request: HttpRequest, pk: int) -> Workshop:
    """A workshop whose paper capture sheets `request.user` prints and types in: one held in a
    neighbourhood (the notes belong to it)."""
    workshop = _capturable(request, pk)
    if workshop.neighbourhood_id is None:
        raise Http404
    return workshop


@require_http_methods(["GET", "POST"])
def capture(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _capturable(request, pk)
    themes = list(queries.active_themes())
    bound: CaptureForm | None = None
    if request.method == "POST":
        posted = request.POST.get("question", "x")
        bound = CaptureForm(request.POST, themes=themes, auto_id=f"q{posted}_%s")
        if bound.is_valid():
            data: dict[str, Any] = bound.cleaned_data | {"themes": bound.chosen_themes()}
            try:
                actions.capture(by=request.user, workshop=workshop, **data)
            except actions.ContributionError as error:
                bound.add_error("text", str(error))
            else:
                if offline.from_queue(request):
                    total = {"total": queries.captured_at(workshop).count()}
                    noted = render_to_string("contributions/_noted.html", total, request)
                    return offline.accepted(figures=noted)
                index = data["question"]
                url = reverse("contributions:capture", kwargs={"pk": pk})
                # The same table speaks again, most of the time: its label stays filled.
                table = quote(data["table_label"])
                return redirect(f"{url}?q={index}&table={table}#question-{index}")
        if offline.from_queue(request):
            return offline.form_refused(bound)
    active = str(bound.data.get("question")) if bound else request.GET.get("q", "0")
    table_label = request.GET.get("table", "")[:50]
    notes = list(queries.captured_at(workshop))
    suggestions = queries.suggested_themes(notes, themes)
    if not suggestions and any(not note.themes.all() for note in notes):
        actions.request_suggester()  # none trained yet: the worker trains one
    user = request.user
    for note in notes:
        note.suggested = suggestions.get(note.pk, [])  # type: ignore[attr-defined]
        note.correctable = permissions.can_correct_note(user, note)  # type: ignore[attr-defined]
    sections = []
    for index, question in enumerate(workshop.guiding_questions):
        if bound is not None and str(bound.data.get("question")) == str(index):
            form = bound  # the entry that was refused keeps its text
        else:
            form = CaptureForm(
                initial={"question": index, "key": new_token(), "table_label": table_label},
                themes=themes,
                auto_id=f"q{index}_%s",
            )
        sections.append(
            {
                "index": index,
                "question": question,
                "form": form,
                "notes": [note for note in notes if note.question == question],
                "active": active == str(index),
            }
        )
    return offline.keep_offline(
        render_page(
            request,
            "contributions/capture.html",
            {"workshop": workshop, "sections": sections, "total": len(notes)},
        )
    )


@require_GET
def capture_sheets(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper plan B: one capture sheet per guiding question, with the workshop's code."""
    workshop = _with_sheets(request, pk)
    response = HttpResponse(capture_sheets_pdf(workshop), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notes-papier-{workshop.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def type_in_sheets(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper capture sheets typed in after the evening, each under its own question."""
    workshop = _with_sheets(request, pk)
    questions = list(workshop.guiding_questions)
    form = SheetsForm(request.POST or None, initial={"key": new_token()}, questions=questions)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["key"]
        try:
            with transaction.atomic():
                saved = [
                    contribution
                    for index, texts in form.paragraphs().items()
                    for contribution in actions.transcribe(
                        by=request.user,
                        neighbourhood=workshop.neighbourhood,  # type: ignore[arg-type]
                        workshop=workshop,
                        texts=texts,
                        key=f"{key}-q{index}",
                        question=index,
                    )
                ]
        except actions.ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d contribution typed in from the paper sheets.",
                    "%(count)d contributions typed in from the paper sheets.",
                    len(saved),
                )
                % {"count": len(saved)},
            )
            return redirect("contributions:capture", pk=workshop.pk)
    return render_page(
        request,
        "contributions/type_in_sheets.html",
        {
            "workshop": workshop,
            "form": form,
            "sections": [
                (form[f"question_{index}"], sheet_code(workshop, index))
                for index in range(len(questions))
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def correct_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a note of the evening, move it under another question, or delete it."""
    contribution = get_object_or_404(queries.visible_contributions(request.user), pk=pk)
    require(permissions.can_correct_note(request.user, contribution), hide=True)
    workshop = contribution.workshop
    assert workshop is not None  # can_correct_note: notes captured at a workshop
    form = NoteCorrectionForm(
        request.POST or None,
        questions=list(workshop.guiding_questions),
        initial={
            "text": contribution.text,
            "question": contribution_index(contribution),
            "table_label": contribution.table_label,
            "author_name": contribution.author_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_note(by=request.user, contribution=contribution, **form.cleaned_data)
        except actions.ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The note is corrected."))
            url = reverse("contributions:capture", kwargs={"pk": workshop.pk})
            return redirect(f"{url}#note-{pk}")
    return render_page(
        request,
        "contributions/correct_note.html",
        {
            "contribution": contribution,
            "workshop": workshop,
            "form": form,
            "can_draft": permissions.can_moderate(request.user),
            "can_start_action": permissions.can_start_action_from(request.user),
        },
    )


@require_POST
def withdraw_note(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(queries.visible_contributions(request.user), pk=pk)
    require(permissions.can_withdraw_note(request.user, contribution), hide=True)
    workshop_pk = contribution.workshop_id
    try:
        actions.withdraw_note(by=request.user, contribution=contribution)
    except actions.ContributionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The note is deleted. The service can still see it."))
    url = reverse("contributions:capture", kwargs={"pk": workshop_pk})
    return redirect(f"{url}#question-{contribution_index(contribution)}")


def contribution_index(contribution: Contribution) -> int:
    """The position of a workshop note's question in its guide (0 when no longer there)."""
    questions = list(contribution.workshop.guiding_questions) if contribution.workshop else []
    return questions.index(contribution.question) if contribution.question in questions else 0


@require_POST
def add_theme(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(queries.visible_contributions(request.user), pk=pk)
    theme = get_object_or_404(queries.active_themes(), pk=request.POST.get("theme", 0) or 0)
    try:
        actions.add_theme(by=request.user, contribution=contribution, theme=theme)
    except actions.ContributionError as error:
        messages.error(request, str(error))
    workshop = contribution.workshop
    if workshop is None:
        return redirect("contributions:moderate", pk=pk)
    if request.htmx:  # type: ignore[attr-defined]
        # Only the note's line changes: the page keeps its place and what is being typed.
        note = queries.captured_at(workshop).get(pk=pk)
        user = request.user
        note.correctable = permissions.can_correct_note(user, note)  # type: ignore[attr-defined]
        return render_page(request, "contributions/capture.html", {"note": note}, fragment="note")
    url = reverse("contributions:capture", kwargs={"pk": contribution.workshop_id})
    return redirect(f"{url}#note-{pk}")


# Boards, pages and follow-up ----------------------------------------------------------------


BOARD_PAGE = 20


@limit_anonymous_writes("board-post")
@require_http_methods(["GET", "POST"])
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """What residents said in a neighbourhood, and the online board to add to it."""
    try:
        neighbourhood = visible_neighbourhoods(request.user).get(slug=slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None
    found = queries.board_of(neighbourhood)
    is_open = permissions.can_post_on_board(found)
    form = BoardPostForm(initial={"key": new_token()})
    if request.method == "POST":
        form = BoardPostForm(request.POST)
        if not is_open or found is None:
            messages.error(request, _("This board is closed: nothing can be posted on it now."))
        elif form.is_valid():
            try:
                posted = actions.post_on_board(by=request.user, board=found, **form.cleaned_data)
            except actions.ContributionError as error:
                form.add_error("text", str(error))
            else:
                contribution = posted.contribution
                if contribution.status == Status.PUBLISHED:
                    messages.success(request, _("Thank you: your contribution is published."))
                else:
                    messages.success(
                        request,
                        _("Thank you: a moderator will read your contribution, then publish it."),
                    )
                return redirect(actions.follow_url(contribution))
    # A page at a time: a busy neighbourhood's board was one 27,000 px page on a phone.
    page = Paginator(queries.published_in(neighbourhood, request.user), BOARD_PAGE).get_page(
        request.GET.get("page")
    )
    return render_page(
        request,
        "contributions/board.html",
        {
            "neighbourhood": neighbourhood,
            "board": found,
            "is_open": is_open,
            "form": form,
            "page": page,
            "contributions": page.object_list,
            "can_set_up_boards": permissions.can_set_up_boards(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _page(
    request: HttpRequest,
    contribution: Contribution,
    token: str = "",
    *,
    appeal_form: AppealForm | None = None,
) -> HttpResponse:
    user = request.user
    waiting = any(item.status == AppealStatus.OPEN for item in contribution.appeals.all())
    return render_page(
        request,
        "contributions/detail.html",
        {
            "contribution": contribution,
            "token": token,
            "is_author": permissions.is_author(user, contribution, token),
            "can_appeal": permissions.can_appeal(user, contribution, token) and not waiting,
            "can_moderate": permissions.can_moderate(user),
            "can_start_initiative": permissions.can_start_action_from(user),
            "can_say_me_too": permissions.can_say_me_too(user, contribution),
            "show_photo": contribution.photo is not None
            and permissions.can_see_photo(user, contribution.photo),
            "appeal_form": appeal_form or AppealForm(),
        },
        status=400 if appeal_form else 200,
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = queries.visible_contributions(request.user).filter(pk=pk)
    contribution = queries.contribution_page(visible, request.user).first()
    if contribution is None:
        raise Http404
    return _page(request, contribution)


@require_GET
def follow(request: HttpRequest, token: str) -> HttpResponse:
    # The private link is the permission: whoever holds it wrote the contribution.
    contribution = queries.contribution_page(queries.by_follow_token(token), None).first()
    if contribution is None:
        return link_gone(request)
    return _page(request, contribution, token)


@limit_anonymous_writes("me-too")
@require_POST
def me_too(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(queries.visible_contributions(request.user), pk=pk)
    require(permissions.can_say_me_too(request.user, contribution))
    if request.POST.get("withdraw"):
        actions.withdraw_me_too(by=request.user, contribution=contribution)
    else:
        actions.say_me_too(by=request.user, contribution=contribution)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = contribution_url(contribution)
    return redirect(next_url)


@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    token = request.POST.get("token", "")
    found = (
        queries.contribution_page(queries.by_follow_token(token), None)
        if token
        else queries.contribution_page(queries.visible_contributions(request.user), request.user)
    )
    contribution = found.filter(pk=pk).first()
    if contribution is None:
        raise Http404
    require(permissions.can_appeal(request.user, contribution, token))
    form = AppealForm(request.POST)
    if not form.is_valid():
        # The page again, with the error summary and what was typed (ADR 0061).
        return _page(request, contribution, token, appeal_form=form)
    try:
        actions.appeal(by=request.user, contribution=contribution, token=token, **form.cleaned_data)
    except actions.ContributionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your request to publish it is sent. A moderator will answer you on this page."),
        )
    return redirect(actions.follow_url(contribution) if token else contribution_url(contribution))


def contribution_url(contribution: Contribution) -> str:
    return reverse("contributions:detail", kwargs={"pk": contribution.pk})


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    found = get_object_or_404(queries.visible_photos(request.user), pk=pk)
    # Pages ask for ?v=<revision>: a blurred photo has a new address, so an hour's cache is safe.
    return png_response(found.image, cache="private, max-age=3600")


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"].strip() if valid else ""
    slug = form.cleaned_data["quartier"] if valid else ""
    within = visible_neighbourhoods(request.user).filter(slug=slug).first() if slug else None
    results = None
    if query:
        visible = queries.visible_contributions(request.user).filter(status=Status.PUBLISHED)
        if within is not None:
            visible = visible.filter(neighbourhood=within)
        results = list(
            queries.with_me_too(search_contributions(visible, query), request.user)[:100]
        )
    context = {"form": form, "query": query, "results": results, "within": within}
    # The service drafts requests to officials from what it finds (the same role moderates).
    context["can_draft"] = permissions.can_moderate(request.user)
    return render_page(request, "contributions/search.html", context)


# Staff: transcription and moderation --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def transcribe(request: HttpRequest) -> HttpResponse:
    require(permissions.can_transcribe(request.user))
    options: dict[str, Any] = {
        "neighbourhoods": visible_neighbourhoods(request.user),
        "workshops": visible_workshops(request.user).filter(neighbourhood__isnull=False),
        "themes": list(queries.active_themes()),
    }
    form = TranscribeForm(initial={"key": new_token()}, **options)
    if request.method == "POST":
        form = TranscribeForm(request.POST, request.FILES, **options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                image = clean_image(data["photo"]) if data["photo"] else None
                saved = actions.transcribe(
                    by=request.user,
                    neighbourhood=data["neighbourhood"],
                    workshop=data["workshop"],
                    texts=form.paragraphs(),
                    key=data["key"],
                    photo=image,
                    description=data["description"],
                    themes=form.chosen_themes(),
                )
            except ValidationError as error:
                form.add_error("photo", error)
            except actions.ContributionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d contribution transcribed.",
                        "%(count)d contributions transcribed.",
                        len(saved),
                    )
                    % {"count": len(saved)},
                )
                return redirect("contributions:transcribe")
    return render_page(request, "contributions/transcribe.html", {"form": form})


@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    require(permissions.can_moderate(request.user))
    waiting = list(queries.moderation_queue())
    return render_page(
        request,
        "contributions/moderation.html",
        {
            "waiting": waiting,
            "can_edit_themes": permissions.can_edit_themes(request.user),
            "can_set_up_boards": permissions.can_set_up_boards(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    visible = queries.visible_contributions(request.user).filter(pk=pk)
    contribution = queries.contribution_page(visible, request.user).first()
    if contribution is None:
        raise Http404
    require(permissions.can_moderate(request.user))
    hide_form, decide_form = HideForm(), DecideAppealForm()
    blur_form = BlurForm(auto_id="blur_%s")
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "publish":
                actions.publish(by=request.user, contribution=contribution)
                messages.success(request, _("Published."))
            elif step == "reviewed":
                actions.mark_reviewed(by=request.user, contribution=contribution)
                messages.success(request, _("Marked as read; it stays published."))
            elif step == "restore":
                actions.restore(by=request.user, contribution=contribution)
                messages.success(request, _("Published again."))
            elif step in ("confirm", "show"):
                index = int(request.POST.get("index", "-1"))
                actions.set_masking(
                    by=request.user,
                    contribution=contribution,
                    index=index,
                    masked=step == "confirm",
                )
                messages.success(
                    request,
                    _("Masking confirmed.")
                    if step == "confirm"
                    else _("The passage is shown again."),
                )
            elif step == "publish_photo":
                actions.publish_photo(by=request.user, photo=_photo_of(contribution))
                messages.success(request, _("The photo is published."))
            elif step == "withdraw_photo":
                actions.withdraw_photo(by=request.user, photo=_photo_of(contribution))
                messages.success(request, _("The photo is private again: staff only."))
            elif step == "blur_photo":
                photo = _photo_of(contribution)
                blur_form = BlurForm(request.POST, auto_id="blur_%s")
                if not blur_form.is_valid():
                    raise actions.ContributionError(_("Check the area to blur."))
                actions.blur_photo(
                    by=request.user,
                    photo=photo,
                    areas=[blur_form.area()],
                    revision=blur_form.cleaned_data["revision"],
                )
                messages.success(request, _("The area is blurred."))
            elif step == "hide":
                hide_form = HideForm(request.POST)
                if not hide_form.is_valid():
                    raise actions.ContributionError(_("Choose why this contribution is hidden."))
                actions.hide(by=request.user, contribution=contribution, **hide_form.cleaned_data)
                messages.success(request, _("Hidden; the author can see why."))
            elif step == "decide":
                decide_form = DecideAppealForm(request.POST)
                pending = contribution.appeals.filter(status=AppealStatus.OPEN).first()
                if pending is None or not decide_form.is_valid():
                    raise actions.ContributionError(_("Choose a decision and write an answer."))
                actions.decide_appeal(
                    by=request.user,
                    appeal=pending,
                    uphold=decide_form.cleaned_data["decision"] == "uphold",
                    answer=decide_form.cleaned_data["answer"],
                )
                messages.success(request, _("Decision recorded; the author is told."))
            else:
                return HttpResponseBadRequest(_("Unknown moderation step."))
        except (actions.ContributionError, ValueError) as error:
            messages.error(request, str(error))
        else:
            return redirect("contributions:moderate", pk=pk)
    open_appeal = next(
        (a for a in contribution.appeals.all() if a.status == AppealStatus.OPEN), None
    )
    return render_page(
        request,
        "contributions/moderate.html",
        {
            "contribution": contribution,
            "passages": contribution.passages(),
            "hide_form": hide_form,
            "decide_form": decide_form,
            "blur_form": blur_form,
            "open_appeal": open_appeal,
        },
    )


# Staff: the taxonomy and the boards -------------------------------------------------------

THEME_STEPS = ("add", "rename", "up", "down", "out_of_use", "in_use")


def _posted_id(request: HttpRequest, name: str) -> int:
    """The primary key posted as `name`, or 0 (which finds nothing) for anything else."""
    found = ids([request.POST.get(name, "")])
    return found[0] if found else 0


@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest) -> HttpResponse:
    """The taxonomy in order with what was published under each theme; the service adds,
    renames, orders, retires and restores themes here (never deletes them)."""
    can_edit = permissions.can_edit_themes(request.user)
    add_form = ThemeNameForm(label=_("Name of the new theme"))
    refused: dict[int, ThemeNameForm] = {}
    if request.method == "POST":
        require(can_edit)
        step = request.POST.get("step", "")
        if step not in THEME_STEPS:
            return HttpResponseBadRequest(_("Unknown step."))
        if step == "add":
            add_form = ThemeNameForm(request.POST, label=_("Name of the new theme"))
            if add_form.is_valid():
                try:
                    added = actions.add_theme_to_taxonomy(by=request.user, **add_form.cleaned_data)
                except actions.ContributionError as error:
                    add_form.add_error("name", str(error))
                else:
                    messages.success(
                        request,
                        _("Theme “%(name)s” added at the end of the list: it is offered at once.")
                        % {"name": added.name},
                    )
                    return redirect("contributions:themes")
        else:
            theme = get_object_or_404(Theme, pk=_posted_id(request, "theme"))
            if step == "rename":
                form = ThemeNameForm(request.POST, prefix=f"t{theme.pk}", label=_("New name"))
                old_name = theme.name
                if form.is_valid():
                    try:
                        actions.rename_theme(by=request.user, theme=theme, **form.cleaned_data)
                    except actions.ContributionError as error:
                        form.add_error("name", str(error))
                    else:
                        messages.success(
                            request,
                            _(
                                "“%(old)s” is now called “%(new)s”; the contributions tagged "
                                "with it keep it under its new name."
                            )
                            % {"old": old_name, "new": theme.name},
                        )
                        return redirect(f"{reverse('contributions:themes')}#theme-{theme.pk}")
                refused[theme.pk] = form
            elif step in ("up", "down"):
                seen_at = request.POST.get("at", "")
                try:
                    actions.move_theme(
                        by=request.user,
                        theme=theme,
                        up=step == "up",
                        seen_at=int(seen_at) if seen_at.isdigit() and len(seen_at) < 6 else -1,
                    )
                except actions.ContributionError as error:
                    messages.info(request, str(error))
                return redirect(f"{reverse('contributions:themes')}#theme-{theme.pk}")
            else:
                in_use = step == "in_use"
                actions.set_theme_in_use(by=request.user, theme=theme, in_use=in_use)
                messages.success(
                    request,
                    (
                        _("“%(name)s” is in use again: it is offered for tagging.")
                        if in_use
                        else _(
                            "“%(name)s” is out of use: it is no longer offered, and the "
                            "contributions already tagged with it keep it."
                        )
                    )
                    % {"name": theme.name},
                )
                return redirect(f"{reverse('contributions:themes')}#theme-{theme.pk}")
    rows = list(queries.themes_overview(request.user))
    if can_edit:
        for row in rows:
            row.rename_form = refused.get(row.pk) or ThemeNameForm(  # type: ignore[attr-defined]
                prefix=f"t{row.pk}", label=_("New name"), initial={"name": row.name}
            )
    return render_page(
        request,
        "contributions/themes.html",
        {"themes": rows, "can_edit": can_edit, "add_form": add_form},
    )


@require_GET
def boards(request: HttpRequest) -> HttpResponse:
    """Each neighbourhood's online board: open or closed, its moderation, its question."""
    require(permissions.can_set_up_boards(request.user))
    rows = queries.boards_overview(request.user)
    return render_page(request, "contributions/boards.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def board_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Open or close a neighbourhood's online board, choose its moderation, write its question
    (the board is created the first time it is saved)."""
    try:
        neighbourhood = visible_neighbourhoods(request.user).get(slug=slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None
    require(permissions.can_set_up_boards(request.user))
    board = queries.board_of(neighbourhood) or Board(
        neighbourhood=neighbourhood, language=page_language()
    )
    form = BoardSettingsForm(
        request.POST if request.method == "POST" else None,
        item=board,
        initial={
            "state": "open" if board.is_open else "closed",
            "moderation": board.moderation,
            "trust_facilitators": "yes" if board.trust_facilitators else "no",
            "prompt": board.prompt,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.save_board_settings(
                by=request.user,
                neighbourhood=neighbourhood,
                is_open=data["state"] == "open",
                moderation=data["moderation"],
                trust_facilitators=data["trust_facilitators"],
                prompt=data["prompt"],
                language=data["language"],
                translations=form.translations(),
            )
        except actions.ContributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                (
                    _("The board of %(place)s is open: residents can post on it.")
                    if saved.is_open
                    else _("The board of %(place)s is closed: nobody can post on it.")
                )
                % {"place": neighbourhood.name},
            )
            return redirect("contributions:boards")
    return render_page(
        request,
        "contributions/board_settings.html",
        {"neighbourhood": neighbourhood, "form": form},
    )


def _photo_of(contribution: Contribution) -> Photo:
    if contribution.photo is None:
        raise actions.ContributionError(_("This contribution has no photo."))
    return contribution.photo


# Synthesis ----------------------------------------------------------------------------------


def _synthesis_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render_page(request, "contributions/synthesis.html", context)


@require_GET
def workshop_synthesis(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        workshop = visible_workshops(request.user).get(pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None
    found = synthesis.synthesise(synthesis.published(workshop.contributions.all()))
    context = {"title": workshop.title, "synthesis": found, "workshop": workshop}
    return _synthesis_page(request, context)


def _neighbourhood_synthesis(request: HttpRequest, slug: str) -> dict[str, Any]:
    try:
        neighbourhood = visible_neighbourhoods(request.user).get(slug=slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None
    everywhere = synthesis.published(Contribution.objects.filter(neighbourhood__is_published=True))
    here = [c for c in everywhere if c.neighbourhood_id == neighbourhood.pk]
    found = synthesis.synthesise(here)
    contrast = synthesis.distinguishing(
        everywhere, neighbourhood.name, lambda c: c.neighbourhood.name
    )
    return {
        "title": neighbourhood.name,
        "synthesis": found,
        "neighbourhood": neighbourhood,
        "distinctive": contrast,
    }


@require_GET
def neighbourhood_synthesis(request: HttpRequest, slug: str) -> HttpResponse:
    return _synthesis_page(request, _neighbourhood_synthesis(request, slug))


@require_GET
def neighbourhood_report(request: HttpRequest, slug: str) -> HttpResponse:
    context = _neighbourhood_synthesis(request, slug)
    response = HttpResponse(report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="synthese-{slug}.pdf"'
    return response


@require_GET
def cycle_synthesis(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(cycles(), slug=slug)
    contributions = synthesis.published(
        Contribution.objects.filter(workshop__cycle=cycle, neighbourhood__is_published=True)
    )
    found = synthesis.synthesise(
        contributions, contrast_by=lambda c: c.workshop.title if c.workshop else ""
    )
    return _synthesis_page(request, {"title": cycle.name, "synthesis": found, "cycle": cycle})
