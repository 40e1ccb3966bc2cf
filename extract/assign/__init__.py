"""Who is given which task: every way a Chinese policy document assigns one.

Chinese plans say who does a measure in a bracketed clause after it::

    （牵头单位：市经信局；责任单位：市发改委、市科技局，江汉区、硚口区人民政府）

or in an unlabelled bracket (``（各街镇、区商务委）``), an unbracketed label at an
item's end, a row of a task-decomposition table, a prose sentence (``由X牵头，Y配合``),
or once for the rest of the document ("以下工作均需各区人民政府具体落实，不再列出").
Each named body becomes an :class:`~extract.model.AgencyMention` — a surface string
with its span and role; resolving it to a canonical agency is :mod:`extract.agencies`'
job. The modules, by job:

* :mod:`extract.assign.lists` — agency lists (separators, shared suffixes, 各, notes);
* :mod:`extract.assign.clauses` — labelled, unbracketed and unlabelled clauses;
* :mod:`extract.assign.tables` — task-decomposition tables read from flattened text;
* :mod:`extract.assign.prose` — sentence patterns (``data/assignments_prose.tsv``);
* :mod:`extract.assign.blankets` — blanket clauses (``以下工作均需…不再列出``);
* :mod:`extract.assign.engine` — attaching all of them to tasks.

A lead is not repeated as responsible: one mention, one role; the graph writer gives a
lead both properties.
"""

from policykg.extract.assign.blankets import find_extensions
from policykg.extract.assign.clauses import Clause, find_clauses
from policykg.extract.assign.engine import find_assignments
from policykg.extract.assign.lists import has_org_suffix, parse_agency_list
from policykg.extract.assign.tables import TableRow, find_tables

__all__ = ["Clause", "TableRow", "find_assignments", "find_clauses", "find_extensions",
           "find_tables", "has_org_suffix", "parse_agency_list"]
