from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vorsprung.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_restore_search_indexes, sender=self)


def _restore_search_indexes(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from vorsprung.core.search_indexes import ensure_search_indexes

    ensure_search_indexes(connections[using])
