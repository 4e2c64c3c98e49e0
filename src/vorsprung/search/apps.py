from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search index over leads, contacts, organizations and opportunities, used by
    every list and the header search."""

    name = "vorsprung.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save, pre_save

        pre_save.connect(_set_search_document, dispatch_uid="search-document")
        post_save.connect(_save_search_document, dispatch_uid="search-document-late")
        post_migrate.connect(_restore_search_schema, sender=self)


def _set_search_document(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Every save of a searchable record writes its search document with it, in the
    same statement (or, for a save limited to some fields, right after it when the
    document changed)."""
    from vorsprung.search.selectors import document_function

    compute = document_function(sender)
    if compute is None or raw:
        return
    document = compute(instance)
    if update_fields is not None and "search_document" not in update_fields:
        deferred = "search_document" in instance.get_deferred_fields()
        if deferred or instance.search_document != document:
            instance._search_document_late = True
    instance.search_document = document


def _save_search_document(sender, instance, **kwargs) -> None:
    if instance.__dict__.pop("_search_document_late", False):
        sender._default_manager.filter(pk=instance.pk).update(
            search_document=instance.search_document
        )


def _restore_search_schema(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from vorsprung.search.schema import ensure_search_schema

    ensure_search_schema(connections[using])
