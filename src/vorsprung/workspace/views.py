from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from vorsprung.accounts.services import user_set_language
from vorsprung.core.errors import ValidationError
from vorsprung.search.selectors import MAX_TERM_LENGTH
from vorsprung.ui.forms import StyledForm
from vorsprung.ui.htmx import is_htmx
from vorsprung.ui.pages import safe_next
from vorsprung.workspace.selectors import SEARCH_PAGE_ROWS, global_search, my_day


class StyledAuthenticationForm(StyledForm, auth_views.AuthenticationForm):
    pass


class StyledPasswordChangeForm(StyledForm, auth_views.PasswordChangeForm):
    pass


login = auth_views.LoginView.as_view(
    template_name="workspace/login.html",
    authentication_form=StyledAuthenticationForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="workspace/password_change.html", form_class=StyledPasswordChangeForm
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="workspace/password_change_done.html"
)


@require_GET
def home(request):
    return render(request, "workspace/home.html", my_day(user=request.user))


@require_GET
def search(request):
    """The header's search results (htmx), or the page with every type's matches and
    their counts, each linking to its list filtered by the term."""
    q = request.GET.get("q", "")[:MAX_TERM_LENGTH]
    if is_htmx(request):
        context = {"results": global_search(user=request.user, q=q), "search_query": q}
        return render(request, "workspace/partials/search_results.html", context)
    results = global_search(user=request.user, q=q, rows=SEARCH_PAGE_ROWS, counts=True)
    return render(request, "workspace/search.html", {"results": results, "search_query": q})


@require_POST
def language(request):
    """Keep the chosen language on the user (it follows them to every browser) and in
    the language cookie."""
    code = request.POST.get("language", "")
    response = HttpResponseRedirect(safe_next(request, "/"))
    try:
        user_set_language(actor=request.user, language=code)
    except ValidationError:
        return response
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax")
    return response
