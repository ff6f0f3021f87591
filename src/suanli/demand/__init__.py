"""Compute demand: training runs and token volumes against the installed supply."""
