"""The shapes of the open-data API's answers (django-ninja schemas, hence the OpenAPI document).

Field names are the CSV files' column names too. Dates and times are ISO 8601 (times with
their offset); codes (`status`, `kind`) are stable English words, whatever the reader's language.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from palabre.core.suppression import RULE

COUNT = f"Number; {RULE}"


class Published(Schema):
    """What every answer carries: the licence and whom to credit."""

    licence: str = Field(description="Address of the licence of the data (CC BY 4.0 by default).")
    attribution: str = Field(description="Whom to credit when reusing the data.")


class Page(Published):
    """One page of a dataset."""

    count: int = Field(description="Number of items in the whole dataset (with the filters).")
    page: int = Field(description="This page's number, from 1.")
    page_size: int = Field(description="Items per page.")
    pages: int = Field(description="Number of pages (0 when the dataset is empty).")
    next: str | None = Field(description="Address of the next page, null on the last one.")
    previous: str | None = Field(description="Address of the previous page, null on the first.")


class Problem(Schema):
    """Why the answer is not the data asked for."""

    detail: str


class Invalid(Schema):
    """A parameter that is not valid, and why (one entry per mistake)."""

    detail: list[dict[str, Any]]


class TooMany(Schema):
    """Too many requests from one connection: wait before asking again (header Retry-After)."""

    detail: str
    retry_after: int = Field(description="Seconds to wait.")


# Workshops ---------------------------------------------------------------------------------


class Workshop(Schema):
    id: int
    url: str = Field(description="Its public page.")
    title: str
    theme: str
    language: str = Field(description="Language the texts were written in (fr, nl or en).")
    kind: Literal["workshop", "round_table", "symposium"]
    status: Literal["announced", "held", "reported", "cancelled"]
    cycle: str = Field(description="The year of workshops it belongs to.")
    neighbourhood: str | None = Field(description="Short name; null for a city-wide event.")
    neighbourhood_name: str | None
    venue: str | None = Field(description="Name of the public venue.")
    starts_at: datetime | None
    ends_at: datetime | None
    present: int | None = Field(
        description="People present, once it was held. "
        + COUNT
        + " Null also before it is held (see present_suppressed)."
    )
    present_suppressed: bool = Field(
        description="True when the number of people present is withheld (under 5)."
    )


class WorkshopPage(Page):
    items: list[Workshop]


class OneWorkshop(Published):
    item: Workshop


# Requests to officials and their answers ----------------------------------------------------


class PublicRequest(Schema):
    id: int
    url: str = Field(description="Its public page, with the whole timeline.")
    title: str
    asked: str = Field(description="What is asked.")
    why: str
    language: str = Field(description="Language of title, asked and why.")
    neighbourhood: str
    neighbourhood_name: str
    themes: list[str]
    status: Literal["sent", "acknowledged", "answered", "in_progress", "done"]
    addressed_to: str | None = Field(
        description="The elected official (name and office) or the city department it was sent to."
    )
    addressee_kind: Literal["official", "department"] | None
    sent_at: datetime | None
    acknowledge_by: date | None = Field(description="Date the receipt was due.")
    acknowledged_at: datetime | None
    answer_by: date | None = Field(description="Date the answer was due.")
    answered_at: datetime | None
    answer_kind: Literal["", "accepted", "planned", "under_study", "refused", "not_competent"]
    answer_text: str = Field(description="The published answer (empty until answered).")
    answer_language: str
    planned_for: date | None
    done_at: datetime | None
    workshop: int | None = Field(description="The public workshop where it was agreed (its id).")
    residents_present: int | None = Field(
        description="Residents present when it was agreed. " + COUNT
    )
    residents_present_suppressed: bool


class RequestPage(Page):
    items: list[PublicRequest]


class OneRequest(Published):
    item: PublicRequest


# Citizen actions ---------------------------------------------------------------------------


class CitizenAction(Schema):
    id: int
    url: str
    kind: Literal["street_party", "beautification", "expression_board", "welcome", "other"]
    title: str
    description: str
    status: Literal["preparation", "happening", "done"]
    neighbourhood: str
    neighbourhood_name: str
    starts_on: date | None
    budget_requested: float | None = Field(description="Euros.")
    budget_granted: float | None = Field(description="Euros.")
    report: str = Field(description="The public report, once done.")
    reported_at: datetime | None
    volunteers: int | None = Field(description="People who said “I'm in”. " + COUNT)


class CitizenActionPage(Page):
    items: list[CitizenAction]


class OneCitizenAction(Published):
    item: CitizenAction


# Participatory budgets' results -------------------------------------------------------------


class BudgetProject(Schema):
    id: int
    title: str
    summary: str
    cost: int = Field(description="Euros.")
    votes: int | None = Field(description="Voters who chose it. " + COUNT)
    funded: bool


class BudgetResult(Schema):
    id: int = Field(description="The envelope's id.")
    url: str = Field(description="The results page.")
    process: str = Field(description="Short name of the participatory budget.")
    process_title: str
    neighbourhood: str | None = Field(description="Short name; null for the whole city.")
    neighbourhood_name: str | None
    amount: int = Field(description="Euros in the envelope.")
    spent: int = Field(description="Euros given to the funded projects.")
    rule: str = Field(description="Counting rule: mes-add1 (equal shares) or greedy.")
    voters: int | None = Field(description="Ballots counted. " + COUNT)
    published_at: datetime
    projects: list[BudgetProject]


class BudgetResultPage(Page):
    items: list[BudgetResult]


class OneBudgetResult(Published):
    item: BudgetResult


# Opinion maps ------------------------------------------------------------------------------


class GroupVotes(Schema):
    group: str = Field(description="“all” for everyone, else the group's letter.")
    agree: int | None = Field(description=COUNT)
    disagree: int | None = Field(description=COUNT)
    passed: int | None = Field(description=COUNT)


class MapStatement(Schema):
    id: int
    text: str = Field(description="The statement as published (moderated).")
    votes: list[GroupVotes]


class OpinionGroup(Schema):
    group: str = Field(description="Its letter, as on the map's pages.")
    size: int | None = Field(description="People in the group. " + COUNT)


class OpinionMap(Schema):
    id: int
    slug: str
    url: str = Field(description="The map in words.")
    title: str
    neighbourhood: str | None
    neighbourhood_name: str | None
    opens_at: datetime | None
    closes_at: datetime | None
    computed_at: datetime
    participants: int | None = Field(description="People who voted. " + COUNT)
    votes: int | None = Field(description="Votes counted. " + COUNT)
    groups: list[OpinionGroup]
    statements: list[MapStatement]


class OpinionMapPage(Page):
    items: list[OpinionMap]


class OneOpinionMap(Published):
    item: OpinionMap


# The index ---------------------------------------------------------------------------------


class DatasetLinks(Schema):
    id: str
    title: str
    description: str
    json_url: str
    csv_url: str


class Index(Published):
    title: str
    datasets: list[DatasetLinks]
    openapi: str
    catalogue: str = Field(description="DCAT-AP catalogue (JSON-LD).")
    catalogue_rdf: str = Field(description="DCAT-AP catalogue (RDF/XML).")
    page: str = Field(description="The page that explains the data to people.")
    suppression: str
