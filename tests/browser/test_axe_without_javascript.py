"""axe-core checks pages opened without JavaScript too (conftest.assert_accessible): the page
as served, without its scripts, in a twin context that has JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible

BROKEN = """<!DOCTYPE html><html lang="fr"><head><title>Test</title></head>
<body><main><h1>Un essai</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><script>
document.querySelector("img").alt = "ajouté par JavaScript";</script></main></body></html>"""


def test_a_page_without_javascript_is_checked_as_served(new_page: Callable[..., Page]) -> None:
    without_js = new_page(java_script_enabled=False)
    without_js.route(
        "**/essai/", lambda route: route.fulfill(body=BROKEN, content_type="text/html")
    )
    without_js.goto("/essai/")
    # The image has no text alternative without JavaScript (the script would have added one).
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(without_js)


def test_a_page_without_javascript_that_is_fine_passes(new_page: Callable[..., Page]) -> None:
    without_js = new_page(java_script_enabled=False)
    without_js.goto("/")
    assert_accessible(without_js)
