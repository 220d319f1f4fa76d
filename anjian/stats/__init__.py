"""调度统计: the workbench, the indicators, their rollups, the dashboard and the periodic returns (issue 11).

The top of the layer contract: it reads every app below it and nothing reads it.
"""
