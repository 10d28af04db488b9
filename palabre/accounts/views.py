from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from palabre.accounts import actions
from palabre.accounts.backends import EmailBackend
from palabre.accounts.forms import CodeRequestForm, CodeSignInForm, PasswordSignInForm
from palabre.accounts.models import User
from palabre.core.shortcuts import render_page

BACKEND = "palabre.accounts.backends.EmailBackend"
SESSION_EMAIL = "sign_in_email"


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _signed_in(request: HttpRequest, user: User, email: str) -> HttpResponseRedirect:
    actions.clear_sign_in_failures(email=email)
    login(request, user, backend=BACKEND)
    messages.success(request, _("You are signed in."))
    return redirect(_next_url(request))


def _too_many() -> str:
    return _("Too many failed attempts. Wait %(minutes)d minutes before trying again.") % {
        "minutes": settings.SIGN_IN_FAILURE_WINDOW_MINUTES
    }


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = PasswordSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if actions.sign_in_is_throttled(email=email, ip_address=_client_ip(request)):
            form.add_error(None, _too_many())
        else:
            user = EmailBackend().authenticate(
                request, email=email, password=form.cleaned_data["password"]
            )
            if user is not None:
                return _signed_in(request, user, email)
            actions.record_sign_in_failure(email=email, ip_address=_client_ip(request))
            form.add_error(None, _("This email address and password do not match an account."))
    return render_page(
        request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_http_methods(["GET", "POST"])
def request_code(request: HttpRequest) -> HttpResponse:
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if actions.sign_in_is_throttled(email=email, ip_address=_client_ip(request)):
            form.add_error(None, _too_many())
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
    return render_page(request, "accounts/request_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    initial = {"email": request.session.get(SESSION_EMAIL, "")}
    form = CodeSignInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if actions.sign_in_is_throttled(email=email, ip_address=_client_ip(request)):
            form.add_error(None, _too_many())
        else:
            user = actions.redeem_sign_in_code(email=email, code=form.cleaned_data["code"])
            if user is not None:
                request.session.pop(SESSION_EMAIL, None)
                return _signed_in(request, user, email)
            actions.record_sign_in_failure(email=email, ip_address=_client_ip(request))
            form.add_error("code", _("This code is wrong or has expired."))
    return render_page(request, "accounts/enter_code.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("core:home")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render_page(request, "accounts/account.html", {"account": request.user})
