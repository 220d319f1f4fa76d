"""Pages of the stats app: each part keeps its own urls module, joined here."""

from anjian.stats import urls_complaints, urls_dashboard, urls_indicators, urls_returns, urls_workbench

urlpatterns = [*urls_workbench.urlpatterns, *urls_indicators.urlpatterns, *urls_dashboard.urlpatterns, *urls_returns.urlpatterns, *urls_complaints.urlpatterns]
