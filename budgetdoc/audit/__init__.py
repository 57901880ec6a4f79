"""``budgetdoc audit``: check the arithmetic and the disclosure rules of a report budgetdoc did not write.

A finance bureau reviewing dozens of departments' drafts gets, for each
report (.docx, .txt or .pdf), every figure that does not recompute from the
others stated in the same report, and every disclosure rule a reader can see
broken — each with where it is, what the text says, what the arithmetic
gives and from which figures.  See ``docs/audit.md``.

Steps, one module each:

* :mod:`.reader` — the file → paragraphs and tables;
* :mod:`.text` — the normalised text the patterns read, and the way back;
* :mod:`.patterns` — what is recognised, as data;
* :mod:`.extract` — the stated figures and their roles (amounts, 比上年
  changes, shares, lists);
* :mod:`.tables` — the 公开表: their own sums and the figures they state;
* :mod:`.arithmetic` — every figure recomputed from the others;
* :mod:`.disclosure` — the rules that need no arithmetic;
* :mod:`.against` — ``--data``: every stated figure against the YAML;
* :mod:`.findings` — what is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .arithmetic import check_arithmetic
from .disclosure import check_disclosure
from .extract import Extracted, extract
from .findings import Finding, Findings, Severity
from .reader import AuditInputError, Report, read_report
from .tables import check_tables

__all__ = ["Audit", "AuditInputError", "audit", "audit_report"]


@dataclass
class Audit:
    report: Report
    extracted: Extracted
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def exit_code(self) -> int:
        """1 when an error was found, 0 when only warnings and notes remain."""
        return 1 if self.errors else 0

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)


def audit_report(report: Report, against=None) -> Audit:
    """Audit a report already read; ``against`` (from :func:`.against.load_against`) adds the YAML comparison."""
    extracted = extract(report)
    findings = Findings()
    findings.extend(check_tables(extracted))
    findings.extend(check_arithmetic(extracted))
    findings.extend(check_disclosure(extracted))
    if against is not None:
        from .against import compare
        findings.extend(compare(extracted, against))
        findings.items = [against.known(f) for f in findings.items]
    return Audit(report, extracted, findings.sorted())


def audit(source: bytes | str | Path, kind: str | None = None, name: str | None = None, against=None) -> Audit:
    """Read and audit a .docx, .txt or .pdf (``kind`` is needed for bytes)."""
    return audit_report(read_report(source, kind, name), against)
