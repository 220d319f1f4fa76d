"""Penalty-case models: discretion (imported by cases.models)."""

from __future__ import annotations
