"""Penalty-case models: publication (imported by cases.models)."""

from __future__ import annotations
