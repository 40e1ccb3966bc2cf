"""Every reader of tasks laid out as tables, in one list.

Task-decomposition tables crawled one cell a line (:mod:`.tables`), HTML tables a page kept
(:mod:`.htmltables`) and one-task record tables (:mod:`.records`) all give
:class:`~.tables.TableRow`\\ s. The task step makes their rows tasks and the assignment step
reads their agency cells; both ask this one function, so a reader added here reaches both.
"""

from __future__ import annotations

from policykg.extract.assign.htmltables import find_html_tables
from policykg.extract.assign.records import find_records
from policykg.extract.assign.tables import TableRow, find_tables
from policykg.extract.model import Section


def table_rows(text: str, sections: list[Section]) -> list[TableRow]:
    """The rows of every task table in ``text``: crawled, HTML, then record tables."""
    return find_tables(text, sections) + find_html_tables(text, sections) + find_records(
        text, sections)
