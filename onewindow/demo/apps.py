from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo county data and the scale-data generator (no models)."""

    name = "onewindow.demo"
    label = "demo"
