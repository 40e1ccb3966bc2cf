"""Quantities as dimensions, each with its own rules (as Duckling does):

* :mod:`extract.quantities.amounts` — a number with a unit (``1万亿元``, ``6.4%``, ``3-5家``);
* :mod:`extract.quantities.years` — the years and periods a goal is due in;
* :mod:`extract.quantities.targets` — the goals a document commits to: an amount, its
  metric, region and industry, and its year.
"""
