"""Penalty-case models: casefile (imported by cases.models)."""

from __future__ import annotations
