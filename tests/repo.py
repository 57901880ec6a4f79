"""Where the repository's real data and templates are (imported by tests)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TEMPLATES = ROOT / "templates"


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    """Replace text in a data file; each old text must occur exactly once."""
    text = path.read_text("utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
EXAMPLE = ROOT / "examples" / "demo"     # the fictional, complete example department (two years)
