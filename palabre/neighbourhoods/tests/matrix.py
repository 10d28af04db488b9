from palabre.core.testing import MatrixRow, everyone, only

STAFF = ("coordinator", "administrator")

ROWS = [
    MatrixRow("neighbourhoods:detail", everyone(200), kwargs=lambda w: {"slug": w.home.slug}),
    MatrixRow(
        "neighbourhoods:detail",
        only(200, STAFF, otherwise=404),
        state="unpublished",
        kwargs=lambda w: {"slug": w.hidden.slug},
    ),
    MatrixRow(
        "neighbourhoods:detail",
        everyone(404),
        state="unknown",
        kwargs=lambda w: {"slug": "nowhere"},
    ),
    MatrixRow(
        "neighbourhoods:venue",
        everyone(200),
        kwargs=lambda w: {"slug": w.home.slug, "venue_slug": w.venue.slug},
    ),
    MatrixRow(
        "neighbourhoods:venue",
        only(200, STAFF, otherwise=404),
        state="unpublished",
        kwargs=lambda w: {"slug": w.home.slug, "venue_slug": w.hidden_venue.slug},
    ),
    MatrixRow(
        "neighbourhoods:venue",
        everyone(404),
        state="in another neighbourhood",
        kwargs=lambda w: {"slug": w.elsewhere.slug, "venue_slug": w.venue.slug},
    ),
]
