"""Penalty-case models: execution (imported by cases.models)."""

from __future__ import annotations
