"""Review tools: read a .docx as text, diff two reports, write a redline.

- :mod:`.docxtext` reads the paragraphs and tables of a .docx (``budgetdoc text``);
- :mod:`.textdiff` aligns two documents paragraph by paragraph and diffs
  changed paragraphs by character, numbers as whole tokens (``budgetdoc diff``);
- :mod:`.redline` writes the new document with Word tracked changes
  (``budgetdoc redline``);
- :mod:`.sources` resolves the sides of ``budgetdoc diff`` (a .docx, or a data
  year in the working tree, a directory, or a git revision);
- :mod:`.cli` registers the three commands on the main typer app.
"""
