from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from palabre.accounts import actions
from palabre.accounts.backends import EmailBackend
from palabre.accounts.forms import (
    CodeRequestForm,
    CodeSignInForm,
    LanguageForm,
    PasswordSignInForm,
    RequestNewsForm,
)
from palabre.accounts.models import RequestNews, User
from palabre.accounts.permissions import can_choose_request_news
from palabre.core import throttle
from palabre.core.shortcuts import render_page, require
from palabre.core.throttle import client_address

BACKEND = "palabre.accounts.backends.EmailBackend"
SESSION_EMAIL = "sign_in_email"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _signed_in(request: HttpRequest, user: User, email: str) -> HttpResponseRedirect:
    actions.sign_in_succeeded(email=email, client=client_address(request))
    login(request, user, backend=BACKEND)
    messages.success(request, _("You are signed in."))
    return redirect(_next_url(request))


def _failed(request: HttpRequest, email: str) -> None:
    actions.record_sign_in_failure(email=email, ip_address=client_address(request))


def _too_many_failures(seconds: int) -> str:
    reason = _("Too many failed attempts.")
    return f"{reason} {throttle.wait_message(seconds)}"


def _claim(request: HttpRequest, kind: actions.SignInKind, email: str) -> int | None:
    return actions.claim_sign_in_try(kind=kind, email=email, client=client_address(request))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = PasswordSignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = _claim(request, actions.SignInKind.PASSWORD, email)
        if wait is not None:
            other_way = _("You can still sign in with a code sent by email.")
            form.add_error(None, f"{_too_many_failures(wait)} {other_way}")
            status = 429
        else:
            user = EmailBackend().authenticate(
                request, email=email, password=form.cleaned_data["password"]
            )
            if user is not None:
                return _signed_in(request, user, email)
            _failed(request, email)
            form.add_error(None, _("This email address and password do not match an account."))
    return render_page(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def request_code(request: HttpRequest) -> HttpResponse:
    form = CodeRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = _claim(request, actions.SignInKind.CODE_REQUEST, email)
        if wait is not None:
            reason = _("Many codes were asked for in a short time.")
            form.add_error(None, f"{reason} {throttle.wait_message(wait)}")
            status = 429
        else:
            actions.send_sign_in_code(email=email)
            request.session[SESSION_EMAIL] = email
            messages.info(
                request,
                _(
                    "If an account uses this address, a code is on its way. It is valid for "
                    "%(minutes)d minutes."
                )
                % {"minutes": settings.SIGN_IN_CODE_MINUTES},
            )
            return redirect("accounts:enter_code")
    return render_page(request, "accounts/request_code.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    initial = {"email": request.session.get(SESSION_EMAIL, "")}
    form = CodeSignInForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = _claim(request, actions.SignInKind.CODE, email)
        if wait is not None:
            form.add_error(None, _too_many_failures(wait))
            status = 429
        else:
            user = actions.redeem_sign_in_code(email=email, code=form.cleaned_data["code"])
            if user is not None:
                request.session.pop(SESSION_EMAIL, None)
                return _signed_in(request, user, email)
            _failed(request, email)
            form.add_error(
                "code",
                _("This code is wrong or too old. Check the six digits, or ask for a new code."),
            )
    return render_page(request, "accounts/enter_code.html", {"form": form}, status=status)


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The back-office sign-in (Django's own form) with the site's limits and traces."""
    if request.method != "POST":
        return admin.site.login(request)
    email = request.POST.get("username", "")
    client = client_address(request)
    kind = actions.SignInKind.PASSWORD
    wait = actions.claim_sign_in_try(kind=kind, email=email, client=client)
    if wait is not None:
        return throttle.too_many_response(request, wait, reason=_("Too many failed attempts."))
    response = admin.site.login(request)
    if response.status_code == 302 and request.user.is_staff:
        actions.sign_in_succeeded(email=email, client=client)
    else:
        _failed(request, email)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    response = redirect("home:index")
    # What a staff phone kept for the evening without network (pages, entries not yet sent, the
    # service worker) is deleted with the session (ADR 0065).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


# The hidden field that tells the news form from the language form (two forms, one page).
NEWS_FORM = "request_news"


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Name, role and language; for someone who answers requests, how they hear of them too.
    Two forms, each with its own button: saving one never touches the other (ADR 0060)."""
    user = request.user
    assert isinstance(user, User)
    posted = request.POST if request.method == "POST" else None
    news_posted = posted is not None and posted.get("form") == NEWS_FORM
    may_choose_news = can_choose_request_news(user)
    form = LanguageForm(
        None if news_posted else posted, initial={"preferred_language": user.preferred_language}
    )
    news_form = RequestNewsForm(
        posted if news_posted else None, initial={"request_news": user.request_news}
    )
    if news_posted:
        require(may_choose_news)
        if news_form.is_valid():
            news = news_form.cleaned_data["request_news"]
            actions.set_request_news(user=user, news=news)
            with translation.override(user.preferred_language):
                messages.success(request, _saved_news(news))
            return redirect("accounts:account")
    elif posted is not None and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        actions.set_preferred_language(user=user, language=language)
        response = redirect("accounts:account")
        _remember_language(response, language)
        with translation.override(language):
            messages.success(request, _("Saved: pages and emails in this language."))
        return response
    return render_page(
        request,
        "accounts/account.html",
        {
            "account": user,
            "form": form,
            "news_form": news_form if may_choose_news else None,
            "news_form_name": NEWS_FORM,
        },
    )


def _saved_news(news: str) -> str:
    if news == RequestNews.WEEKLY:
        return _("Saved: one summary every Monday morning instead of one email per request.")
    return _("Saved: one email for each request that reaches you.")


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


@require_POST
def change_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's own view (cookie, safe redirect), and for someone signed
    in, their account's language too, so that their emails follow the pages they read."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if isinstance(request.user, User) and language in dict(settings.LANGUAGES):
        actions.set_preferred_language(user=request.user, language=language)
    return response
