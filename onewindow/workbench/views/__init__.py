"""Workbench pages. Thin: they validate input, call catalogue services and selectors, and render."""

from .home import home

__all__ = ["home"]
