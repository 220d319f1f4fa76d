"""Versioned rule data of the legal engine (YAML), read by ``anjian.law``.

Each file names the source and status (V / S / CFG, LEGAL.md) of every value and the dates it is
in force. The files are data: a regulation is added by adding rows with their sources.
"""
