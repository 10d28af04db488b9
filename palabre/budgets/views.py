from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.budgets import actions, counting, identity, queries, tally
from palabre.budgets.forms import (
    BallotForm,
    CodeForm,
    CodesForm,
    EnvelopeForm,
    MessageCodeForm,
    MessageForm,
    PaperForm,
    ProcessForm,
    ProjectForm,
    ReceiptForm,
    RulesForm,
)
from palabre.budgets.models import (
    Ballot,
    Channel,
    Envelope,
    PaperEntry,
    Phase,
    Process,
    Project,
    Rule,
    Voter,
)
from palabre.budgets.permissions import can_key_paper, can_run_budgets
from palabre.core.charts import bar_chart
from palabre.core.pagecache import public_page
from palabre.core.pdf import pdf, qr_code
from palabre.core.shortcuts import render_page, require
from palabre.core.throttle import limit_anonymous_writes


def _process(request: HttpRequest, slug: str) -> Process:
    found = queries.visible_processes(request.user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _envelope(request: HttpRequest, process: Process, pk: int) -> Envelope:
    found = queries.visible_envelopes(request.user, process).filter(pk=pk).first()
    if found is None:
        raise Http404
    found.process = process
    return found


def _voter(process: Process, token: str) -> Voter:
    # The private link is the permission: whoever holds it is this voter.
    found = Voter.objects.filter(process=process, token=token).first()
    if found is None:
        raise Http404
    return found


@public_page()
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    processes = [
        (p, p.phase(now))
        for p in queries.visible_processes(request.user).prefetch_related(
            Prefetch("envelopes", queryset=queries.visible_envelopes(request.user))
        )
    ]
    return render_page(
        request,
        "budgets/index.html",
        {"processes": processes, "can_run": can_run_budgets(request.user)},
    )


@public_page()
@require_GET
def process(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    return render_page(
        request,
        "budgets/process.html",
        {
            "process": found,
            "phase": found.phase(timezone.now()),
            "envelopes": queries.visible_envelopes(request.user, found),
            "can_run": can_run_budgets(request.user),
            "can_key": can_key_paper(request.user),
            "events": found.events.all(),
        },
    )


@require_http_methods(["GET", "POST"])
def new_process(request: HttpRequest) -> HttpResponse:
    """The service starts a participatory budget: its calendar and its ballot."""
    require(can_run_budgets(request.user))
    form = ProcessForm(request.POST or None)
    if form.is_valid():
        try:
            with transaction.atomic():
                created = actions.create_process(by=request.user, **form.create_arguments())
        except IntegrityError:
            form.add_error("slug", _("Another budget has this short name: choose another one."))
        else:
            messages.success(request, _("The budget is created: give it its envelopes."))
            return redirect("budgets:manage", slug=created.slug)
    return render_page(
        request,
        "budgets/new_process.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@limit_anonymous_writes("voting-code")
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            voter = actions.redeem_code(process=found, code=form.cleaned_data["code"])
        except actions.Refused as refused:
            form.add_error("code", refused.message)
        else:
            return redirect("budgets:voter", slug=slug, token=voter.token)
    return render_page(
        request,
        "budgets/enter_code.html",
        {"process": found, "form": form, "open": found.phase(timezone.now()) == Phase.VOTE},
        status=400 if form.is_bound else 200,
    )


SESSION_ADDRESS = "budgets-message-address"


@limit_anonymous_writes("voting-message")
@require_http_methods(["GET", "POST"])
def by_message(request: HttpRequest, slug: str) -> HttpResponse:
    """No letter: a voting code by email or text message."""
    found = _process(request, slug)
    form = MessageForm(request.POST or None)
    if form.is_valid():
        address = form.cleaned_data["address"]
        try:
            identity.send_message_code(
                process=found, address=address, language=get_language() or "fr"
            )
        except actions.Refused as refused:
            form.add_error("address", refused.message)
        else:
            request.session[SESSION_ADDRESS] = {"process": found.pk, "address": address}
            return redirect("budgets:message_code", slug=slug)
    return render_page(
        request,
        "budgets/by_message.html",
        {"process": found, "form": form, "open": found.phase(timezone.now()) == Phase.VOTE},
        status=400 if form.is_bound else 200,
    )


@limit_anonymous_writes("voting-message-code")
@require_http_methods(["GET", "POST"])
def message_code(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    sent = request.session.get(SESSION_ADDRESS) or {}
    if sent.get("process") != found.pk:
        return redirect("budgets:by_message", slug=slug)
    form = MessageCodeForm(request.POST or None)
    if form.is_valid():
        try:
            person = identity.redeem_message_code(
                process=found, address=sent["address"], code=form.cleaned_data["code"]
            )
        except actions.Refused as refused:
            form.add_error("code", refused.message)
        else:
            request.session.pop(SESSION_ADDRESS, None)
            return redirect("budgets:voter", slug=slug, token=person.token)
    return render_page(
        request,
        "budgets/message_code.html",
        {"process": found, "form": form, "address": sent["address"]},
        status=400 if form.is_bound else 200,
    )


@require_POST
def in_person(request: HttpRequest, slug: str) -> HttpResponse:
    """A facilitator opens a ballot for a resident present at a workshop."""
    found = _process(request, slug)
    require(can_key_paper(request.user))
    try:
        person = identity.vote_in_person(by=request.user, process=found)
    except actions.Refused as refused:
        messages.error(request, refused.message)
        return redirect("budgets:process", slug=slug)
    return redirect("budgets:voter", slug=slug, token=person.token)


@require_GET
def voter(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    found = _process(request, slug)
    person = _voter(found, token)
    ballots = {b.envelope_id: b for b in person.ballots.all()}
    envelopes = [
        (envelope, ballots.get(envelope.pk))
        for envelope in queries.visible_envelopes(request.user, found)
        if envelope.neighbourhood_id in (None, person.neighbourhood_id)
        or person.neighbourhood_id is None
    ]
    return render_page(
        request,
        "budgets/voter.html",
        {
            "process": found,
            "voter": person,
            "envelopes": envelopes,
            "open": found.phase(timezone.now()) == Phase.VOTE,
        },
    )


@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, slug: str, token: str, envelope: int) -> HttpResponse:
    found = _process(request, slug)
    person = _voter(found, token)
    where = _envelope(request, found, envelope)
    if request.method == "GET":
        mine = person.ballots.filter(envelope=where).first()
        form = BallotForm(initial=_initial(mine), envelope=where)
        return _ballot_page(request, found, person, where, form, review=False)
    form = BallotForm(request.POST, envelope=where)
    step = request.POST.get("step")
    if not form.is_valid() or step != "confirm":
        return _ballot_page(
            request, found, person, where, form, review=form.is_valid() and step == "review"
        )
    try:
        cast = actions.cast_ballot(voter=person, envelope=where, **form.cast_arguments())
    except actions.Refused as refused:
        form.add_error(None, refused.message)
        return _ballot_page(request, found, person, where, form, review=False)
    if cast.revision == 1:
        messages.success(request, _("Thank you: your ballot is counted."))
    else:
        messages.success(request, _("Your ballot is changed: only this one counts."))
    return redirect("budgets:voter", slug=slug, token=token)


class BallotRow(NamedTuple):
    """One project on the ballot page, with what the voter gave it so far."""

    project: Project
    checked: bool
    points: int
    rank: int
    field: BoundField | None  # the points or place field, on those ballots


def _initial(mine: Ballot | None) -> dict[str, Any]:
    """The form's values for the ballot a voter already sent (nothing when none)."""
    if mine is None:
        return {}
    if mine.points:
        return {f"points-{pk}": count for pk, count in mine.points.items()}
    ranked = {f"rank-{pk}": place for place, pk in enumerate(mine.project_ids, start=1)}
    return {"projects": mine.project_ids, **ranked}


def _ballot_page(
    request: HttpRequest,
    process: Process,
    person: Voter,
    envelope: Envelope,
    form: BallotForm,
    *,
    review: bool,
) -> HttpResponse:
    projects = list(envelope.projects.all())
    # What the voter sent (or sent before): every value as a list of texts.
    if form.is_bound:
        values = dict(request.POST.lists())
    else:
        values = {
            k: [str(v) for v in (w if isinstance(w, list) else [w])]
            for k, w in form.initial.items()
        }

    def value(name: str) -> int:
        given = values.get(name, [""])[0]
        return int(given) if given.isdigit() else 0

    ticked = {int(v) for v in values.get("projects", []) if v.isdigit()}
    rows = [
        BallotRow(
            project=p,
            checked=p.pk in ticked,
            points=value(f"points-{p.pk}"),
            rank=value(f"rank-{p.pk}"),
            field=next(
                (form[n] for n in (f"points-{p.pk}", f"rank-{p.pk}") if n in form.fields), None
            ),
        )
        for p in projects
    ]
    chosen = sorted((r for r in rows if r.checked or r.points or r.rank), key=lambda r: r.rank)
    total = sum(r.project.cost for r in rows if r.checked)
    given = sum(r.points for r in rows)
    hidden = [("projects", r.project.pk) for r in rows if r.checked]
    hidden += [(f"points-{r.project.pk}", r.points) for r in rows if r.points]
    hidden += [(f"rank-{r.project.pk}", r.rank) for r in rows if r.rank]
    return render_page(
        request,
        "budgets/ballot.html",
        {
            "process": process,
            "voter": person,
            "envelope": envelope,
            "form": form,
            "rows": rows,
            "review": review,
            "chosen": chosen,
            "hidden": hidden,
            "total": total,
            "left": max(0, envelope.amount - total),
            "over": max(0, total - envelope.amount),
            "given": given,
            "points_left": max(0, (process.points or 0) - given),
            "open": process.phase(timezone.now()) == Phase.VOTE,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@limit_anonymous_writes("receipt")
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    form = ReceiptForm(request.POST or None)
    counted = None
    if form.is_valid():
        code = actions.normalise_code(form.cleaned_data["receipt"])
        counted = queries.ballot_by_receipt(found, code)
        if counted is None:
            form.add_error(
                "receipt", _("No ballot of this budget has this receipt code. Check each letter.")
            )
    return render_page(
        request,
        "budgets/receipt.html",
        {
            "process": found,
            "form": form,
            "counted": counted,
            "projects": counted and counted.envelope.projects.filter(pk__in=counted.project_ids),
        },
        status=400 if form.is_bound and counted is None else 200,
    )


def _published(request: HttpRequest, slug: str, envelope: int) -> tuple[Process, Envelope]:
    found = _process(request, slug)
    where = _envelope(request, found, envelope)
    if found.published_at is None or where.result is None:
        raise Http404
    return found, where


class ResultRow(NamedTuple):
    """One project on a result page."""

    project: Project
    pid: str  # its id in the published pabulib file
    votes: int
    paper_votes: int
    funded: bool
    most_votes_funded: bool
    explanation: str


@public_page()
@require_GET
def results(request: HttpRequest, slug: str, envelope: int) -> HttpResponse:
    found, where = _published(request, slug, envelope)
    result: dict[str, Any] = where.result or {}
    language = (get_language() or "fr")[:2]
    language = language if language in ("fr", "nl", "en") else "fr"
    paper_votes = result.get("paper", {}).get("votes", {})
    counted = result["projects"]
    # Funded projects in the order they were chosen, then the others by votes.
    order = [*result["winners"]]
    order += sorted((p for p in counted if p not in order), key=lambda p: -counted[p]["votes"])
    by_id = {str(p.pk): p for p in where.projects.all()}
    rows = [
        ResultRow(
            project=by_id[pid],
            pid=pid,
            votes=counted[pid]["votes"],
            paper_votes=paper_votes.get(pid, 0),
            funded=counted[pid]["funded"],
            most_votes_funded=counted[pid]["most_votes_funded"],
            explanation=counted[pid]["explanation"][language],
        )
        for pid in order
    ]
    chart = bar_chart(
        _("Votes per project"),
        _("Votes"),
        [(row.project.title, row.votes) for row in rows],
    )
    return render_page(
        request,
        "budgets/results.html",
        {
            "process": found,
            "envelope": where,
            "result": result,
            "funded": [row for row in rows if row.funded],
            "not_funded": [row for row in rows if not row.funded],
            "rows": rows,
            "chart": chart,
            "same_as_most_votes": result["winners"] == result["most_votes"]
            or found.rule == Rule.GREEDY,
            "channels": [(Channel(c).label, n) for c, n in sorted(result["channels"].items())],
        },
    )


@require_GET
def recount(request: HttpRequest, slug: str, envelope: int) -> HttpResponse:
    found, where = _published(request, slug, envelope)
    response = HttpResponse(where.recount, content_type="text/plain; charset=utf-8")
    name = f"{found.slug}-{where.neighbourhood.slug if where.neighbourhood else 'ville'}.pb"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The service's page and what it posts.


def _staff_process(request: HttpRequest, slug: str) -> Process:
    found = _process(request, slug)
    require(can_run_budgets(request.user))
    return found


@require_GET
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    return _manage_page(request, found)


def _manage_page(
    request: HttpRequest,
    process: Process,
    *,
    rules: RulesForm | None = None,
    codes: CodesForm | None = None,
    envelope_form: EnvelopeForm | None = None,
    project_form: ProjectForm | None = None,
) -> HttpResponse:
    forms = [rules, codes, envelope_form, project_form]
    envelopes = queries.visible_envelopes(request.user, process)
    return render_page(
        request,
        "budgets/manage.html",
        {
            "process": process,
            "phase": process.phase(timezone.now()),
            "rules": rules
            or RulesForm(
                initial={
                    "rule": process.rule,
                    "ballot_type": process.ballot_type,
                    "max_choices": process.max_choices,
                    "points": process.points,
                }
            ),
            "codes": codes or CodesForm(),
            "envelope_form": envelope_form or EnvelopeForm(),
            "project_form": project_form or ProjectForm(envelopes=process.envelopes.all()),
            "batches": queries.code_batches(process),
            "envelopes": queries.with_ballot_counts(envelopes),
            "events": process.events.select_related("by"),
        },
        status=400 if any(form and form.errors for form in forms) else 200,
    )


@require_POST
def set_rules(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    form = RulesForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, found, rules=form)
    try:
        actions.set_rules(by=request.user, process=found, **form.cleaned_data)
    except actions.Refused as refused:
        form.add_error(None, refused.message)
        return _manage_page(request, found, rules=form)
    messages.success(request, _("The rules are saved."))
    return redirect("budgets:manage", slug=slug)


@require_POST
def add_envelope(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    form = EnvelopeForm(request.POST)
    if form.is_valid():
        try:
            actions.add_envelope(by=request.user, process=found, **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The envelope is added."))
            return redirect("budgets:manage", slug=slug)
    return _manage_page(request, found, envelope_form=form)


@require_POST
def add_project(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    form = ProjectForm(request.POST, envelopes=found.envelopes.all())
    if form.is_valid():
        try:
            actions.add_project(by=request.user, **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The project is on the ballot."))
            return redirect("budgets:manage", slug=slug)
    return _manage_page(request, found, project_form=form)


@require_POST
def freeze(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    actions.freeze_rules(by=request.user, process=found)
    messages.success(request, _("The rules are frozen: they can no longer change."))
    return redirect("budgets:manage", slug=slug)


@require_POST
def make_codes(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    form = CodesForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, found, codes=form)
    batch = actions.make_codes(by=request.user, process=found, **form.cleaned_data)
    messages.success(request, _("The codes are made: print the letters."))
    return redirect(reverse("budgets:manage", kwargs={"slug": slug}) + f"#batch-{batch.pk}")


@require_GET
def code_letters(request: HttpRequest, slug: str, batch: int) -> HttpResponse:
    found = _staff_process(request, slug)
    codes = queries.batch_codes(found, batch)
    if codes is None:
        raise Http404
    address = request.build_absolute_uri(reverse("budgets:enter_code", kwargs={"slug": slug}))
    html = render_to_string(
        "budgets/code_letters.html",
        {
            "process": found,
            "codes": codes,
            "address": address,
            "qr": qr_code(address),
            "envelopes": queries.visible_envelopes(request.user, found),
        },
        request=request,
    )
    response = HttpResponse(pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="codes-{found.slug}-{batch}.pdf"'
    return response


@require_POST
def close(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    actions.close_vote(by=request.user, process=found)
    messages.success(request, _("The vote is closed."))
    return redirect("budgets:manage", slug=slug)


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    found = _staff_process(request, slug)
    try:
        tally.publish_results(by=request.user, process=found)
    except actions.Refused as refused:
        messages.error(request, refused.message)
        return redirect("budgets:manage", slug=slug)
    messages.success(request, _("The results are published."))
    return redirect("budgets:process", slug=slug)


# Paper ballots: keyed twice by two people, differences settled by a coordinator.


def _paper_envelope(request: HttpRequest, slug: str, envelope: int) -> tuple[Process, Envelope]:
    found = _process(request, slug)
    require(can_key_paper(request.user))
    return found, _envelope(request, found, envelope)


@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, slug: str, envelope: int) -> HttpResponse:
    found, where = _paper_envelope(request, slug, envelope)
    form = PaperForm(request.POST or None, envelope=where)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = tally.key_paper_ballot(
                by=request.user,
                envelope=where,
                number=data["number"],
                spoilt=data["spoilt"],
                **data["reading"],
            )
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Ballot no. %(number)d saved (%(keying)s).")
                % {"number": entry.number, "keying": entry.get_round_display().lower()},
            )
            return redirect("budgets:paper", slug=slug, envelope=envelope)
    readings = tally.readings(where)
    return render_page(
        request,
        "budgets/paper.html",
        {
            "process": found,
            "envelope": where,
            "form": form,
            "keyed": len(readings),
            "waiting": sum(r.agreed is None for r in readings),
            "mine": where.paper.filter(entered_by_id=request.user.pk).order_by("-entered_at")[:5],
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
def paper_differences(request: HttpRequest, slug: str, envelope: int) -> HttpResponse:
    found, where = _paper_envelope(request, slug, envelope)
    readings = tally.readings(where)
    titles = {p.pk: p.title for p in where.projects.all()}

    def said(entry: PaperEntry) -> str:
        if entry.spoilt:
            return _("blank or unreadable")
        read = counting.parse(entry.choices)
        if read.points:
            pairs = zip(read.projects, read.points, strict=True)
            return " · ".join(f"{titles.get(pk, '?')} ({points})" for pk, points in pairs)
        return " · ".join(titles.get(pk, "?") for pk in read.projects)

    return render_page(
        request,
        "budgets/paper_differences.html",
        {
            "process": found,
            "envelope": where,
            "differ": [
                (r, said(r.first), said(r.second), _settle_form(where, r.number))
                for r in readings
                if r.differs and r.resolved is None and r.first and r.second
            ],
            "once": [r for r in readings if r.second is None and r.resolved is None],
            "agreed": sum(r.agreed is not None for r in readings),
            "can_resolve": can_run_budgets(request.user),
        },
    )


def _settle_form(envelope: Envelope, number: int) -> PaperForm:
    """The form settling ballot `number`, its fields named apart from the others' on the page."""
    return PaperForm(envelope=envelope, prefix=f"r{number}", initial={"number": number})


@require_POST
def resolve_paper(request: HttpRequest, slug: str, envelope: int, number: int) -> HttpResponse:
    found, where = _paper_envelope(request, slug, envelope)
    require(can_run_budgets(request.user))
    form = PaperForm(request.POST, envelope=where, prefix=f"r{number}")
    if form.is_valid():
        try:
            tally.resolve_paper_ballot(
                by=request.user,
                envelope=where,
                number=number,
                spoilt=form.cleaned_data["spoilt"],
                **form.cleaned_data["reading"],
            )
        except actions.Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Ballot no. %(number)d is settled.") % {"number": number})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("budgets:paper_differences", slug=found.slug, envelope=where.pk)


@require_GET
def paper_ballot(request: HttpRequest, slug: str, envelope: int) -> HttpResponse:
    found, where = _paper_envelope(request, slug, envelope)
    address = request.build_absolute_uri(reverse("budgets:enter_code", kwargs={"slug": slug}))
    html = render_to_string(
        "budgets/paper_ballot.html",
        {
            "process": found,
            "envelope": where,
            "projects": where.projects.all(),
            "address": address,
            "qr": qr_code(address),
        },
        request=request,
    )
    response = HttpResponse(pdf(html), content_type="application/pdf")
    place = where.neighbourhood.slug if where.neighbourhood else "ville"
    response["Content-Disposition"] = f'attachment; filename="bulletin-{found.slug}-{place}.pdf"'
    return response
