"""Markets: observation store, growth maths, consistency checker, forecasts (``suanli markets``).

Heavy forecasting libraries (statsmodels) are imported lazily inside
:mod:`suanli.markets.forecast`, never at package import.
"""
