"""Writers: each turns a :class:`~budgetdoc.document.ReportDoc` into one format and only reads it."""
