"""anjian (安监): work-safety supervision and enforcement for an Emergency Management Bureau."""
