"""budgetdoc: build the departmental budget disclosure report (部门预算公开说明) from YAML.

The pipeline flows one way, one module per step:

    load  (YAML -> typed model with source positions)      budgetdoc.load
    check (identities, cross-year consistency)             budgetdoc.checks
    compute (totals, shares, year-over-year changes)       budgetdoc.compute
    narrate (Jinja2 templates -> small document model)     budgetdoc.narrate
    write (DOCX, plain text)                               budgetdoc.writers
"""

__version__ = "0.1.0"
