"""The open-data edition: city indicators and national compute anchors built only from public,
sourced statements (see docs/open-data.md).

:mod:`.derive` turns the sourced statements of an edition (``open_facts.csv``, the
intelligent-computing centres and the city list) into the city indicator table, and
:mod:`.stage` checks the provenance of every stated value, writes the sources and coverage
tables and compares the resulting city ranking with the seed report's published order.
"""
