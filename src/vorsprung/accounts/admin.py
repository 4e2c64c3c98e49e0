from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts import services
from vorsprung.accounts.models import ApiToken, Team, User
from vorsprung.accounts.permissions import is_admin
from vorsprung.accounts.selectors import api_token_list
from vorsprung.accounts.tokens import api_token_create, api_token_revoke
from vorsprung.core.admin import ServiceAdmin, ServiceAdminMixin


@admin.register(User)
class UserAdmin(ServiceAdminMixin, DjangoUserAdmin):
    """Users are created and changed through ``user_create`` and ``user_update`` (who may
    use this admin only by superusers). They are not deleted: deactivated, they keep their
    records and their place in the history."""

    list_display = ("username", "email", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active", "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Sales"), {"fields": ("role", "team", "language")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Sales"), {"fields": ("role", "team")}),)
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return (*self.readonly_fields, *sorted(services.ADMIN_ACCESS_FIELDS))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            editable = services.USER_FIELDS | services.ADMIN_ACCESS_FIELDS
            changed = {name: data[name] for name in form.changed_data if name in editable}
            saved = services.user_update(actor=request.user, user=obj, **changed)
        else:
            values = {name: data[name] for name in services.USER_FIELDS if name in data}
            password = data.get("password1") if data.get("set_usable_password") else None
            saved = services.user_create(actor=request.user, password=password, **values)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were saved by the service; the form saves nothing.
        pass

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password is for administrators, as every change of a user.
        if not is_admin(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(Team)
class TeamAdmin(ServiceAdmin):
    create_service = services.team_create
    update_service = services.team_update
    delete_service = services.team_delete
    service_fields = frozenset({"name", "manager"})
    list_display = ("name", "manager")
    search_fields = ("name",)
    autocomplete_fields = ("manager",)


def _revoke(*, actor, apitoken):
    api_token_revoke(actor=actor, token=apitoken)


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Tokens are created here through the same service as the CLI; the secret is shown
    once, in the confirmation message, and never stored. A token is revoked, never
    deleted, so that what it did stays traceable to it. Staff who are not
    administrators see and manage their own tokens only."""

    list_display = (
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username")
    autocomplete_fields = ("user",)
    fields = ("user", "name", "expires_at", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_queryset(self, request):
        return api_token_list(user=request.user, everyone=True)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        record, token = api_token_create(
            actor=request.user,
            user=form.cleaned_data["user"],
            name=form.cleaned_data.get("name", ""),
            expires_at=form.cleaned_data.get("expires_at"),
        )
        obj.pk = record.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Token for %(user)s: %(token)s — copy it now, it is not shown again.")
            % {"user": record.user, "token": token},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        done = self._call(request, _revoke, queryset.filter(revoked_at__isnull=True))
        self.message_user(request, _("%(count)s tokens revoked.") % {"count": done})
