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

# The service's pages to add and change venues and partners: staff only; a hidden
# neighbourhood or venue stays a 404 for everyone else, as on the public pages.
ROWS += [
    MatrixRow(
        "neighbourhoods:places",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": w.home.slug},
    ),
    MatrixRow(
        "neighbourhoods:places",
        only(200, STAFF, otherwise=404),
        state="unpublished",
        kwargs=lambda w: {"slug": w.hidden.slug},
    ),
    MatrixRow(
        "neighbourhoods:places",
        everyone(404),
        state="unknown",
        kwargs=lambda w: {"slug": "nowhere"},
    ),
    MatrixRow(
        "neighbourhoods:new_venue",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": w.home.slug},
    ),
    MatrixRow(
        "neighbourhoods:new_venue",
        only(200, STAFF, otherwise=404),
        state="unpublished",
        kwargs=lambda w: {"slug": w.hidden.slug},
    ),
    MatrixRow(
        "neighbourhoods:new_venue",
        only(200, STAFF, otherwise=403),
        state="refused form",
        method="post",
        kwargs=lambda w: {"slug": w.home.slug},
    ),
    MatrixRow(
        "neighbourhoods:edit_venue",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": w.home.slug, "venue_slug": w.venue.slug},
    ),
    MatrixRow(
        "neighbourhoods:edit_venue",
        only(200, STAFF, otherwise=404),
        state="unpublished",
        kwargs=lambda w: {"slug": w.home.slug, "venue_slug": w.hidden_venue.slug},
    ),
    MatrixRow(
        "neighbourhoods:edit_venue",
        everyone(404),
        state="in another neighbourhood",
        kwargs=lambda w: {"slug": w.elsewhere.slug, "venue_slug": w.venue.slug},
    ),
    MatrixRow(
        "neighbourhoods:edit_venue",
        only(200, STAFF, otherwise=403),
        state="refused form",
        method="post",
        kwargs=lambda w: {"slug": w.home.slug, "venue_slug": w.venue.slug},
    ),
    MatrixRow(
        "neighbourhoods:new_partner",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"slug": w.home.slug},
    ),
    MatrixRow(
        "neighbourhoods:new_partner",
        only(200, STAFF, otherwise=404),
        state="unpublished",
        kwargs=lambda w: {"slug": w.hidden.slug},
    ),
    MatrixRow(
        "neighbourhoods:new_partner",
        only(200, STAFF, otherwise=403),
        state="refused form",
        method="post",
        kwargs=lambda w: {"slug": w.home.slug},
    ),
    MatrixRow(
        "neighbourhoods:edit_partner",
        only(200, STAFF, otherwise=403),
        kwargs=lambda w: {"partner_slug": w.partner_org.slug},
    ),
    MatrixRow(
        "neighbourhoods:edit_partner",
        everyone(404),
        state="unknown",
        kwargs=lambda w: {"partner_slug": "nobody"},
    ),
    MatrixRow(
        "neighbourhoods:edit_partner",
        only(200, STAFF, otherwise=403),
        state="refused contact",
        method="post",
        kwargs=lambda w: {"partner_slug": w.partner_org.slug},
        data=lambda w: {"step": "add", "new-contact-name": ""},
    ),
]
