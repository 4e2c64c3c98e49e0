from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vorsprung.core"
    label = "core"
