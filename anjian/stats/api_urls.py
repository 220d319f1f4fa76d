"""API routes of the stats app (mounted under /api/v1/ by anjian/api_urls.py)."""

from anjian.stats import api_complaints, api_indicators, api_returns, api_workbench

urlpatterns = [*api_workbench.urlpatterns, *api_indicators.urlpatterns, *api_returns.urlpatterns, *api_complaints.urlpatterns]
