"""Places: which division of China a name means, and which one a document governs.

* :mod:`extract.places.gazetteer` — every administrative division (GB/T 2260 codes)
  plus the zones that issue documents, with their names, short names and 简称; the one
  table every other step (agency scope, targets, task regions) asks;
* :mod:`extract.places.jurisdiction` — a document's own place, from its issuer, 文号,
  header, title and text, with the basis that says how it is known.

An agency's place (``市财政局`` in a Jiading plan) is read by
:mod:`extract.agencies.places`, which asks the gazetteer.
"""
