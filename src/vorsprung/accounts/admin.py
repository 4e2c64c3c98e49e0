from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from vorsprung.accounts.models import ApiToken, Team, User
from vorsprung.accounts.tokens import api_token_create, api_token_revoke, api_token_revoke_all


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active", "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Sales"), {"fields": ("role", "team", "language")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Sales"), {"fields": ("role", "team")}),)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # As user_update does: a deactivated user's tokens do not come back with them.
        if change and "is_active" in form.changed_data and not obj.is_active:
            api_token_revoke_all(actor=request.user, user=obj)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager")
    search_fields = ("name",)
    autocomplete_fields = ("manager",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created here through the same service as the CLI; the secret is shown
    once, in the confirmation message, and never stored."""

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
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=request.user, token=token)
