#!/bin/sh
# Preview a DOCX (or the XLSX of the 公开表) as LibreOffice renders it: PDF plus one PNG per page.
#
#   scripts/preview.sh REPORT.docx OUT_DIR
#   scripts/preview.sh REPORT.xlsx OUT_DIR
#
# Writes OUT_DIR/<name>.pdf and OUT_DIR/page-N.png (pdftoppm, 80 dpi).
# The PDF is made as `budgetdoc report --pdf` makes it (python -m budgetdoc.pdf):
# LibreOffice headless with a private profile (parallel runs do not clash) and a
# fontconfig file that maps the official 公文 fonts to the Noto CJK faces
# (LibreOffice ignores the DOCX's w:altName; see docs/typesetting.md).
set -eu

if [ $# -ne 2 ]; then
    echo "用法：$0 报告.docx（或 .xlsx） 输出目录" >&2
    exit 2
fi
docx=$1
out=$2
if [ ! -f "$docx" ]; then
    echo "找不到文件：$docx" >&2
    exit 1
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
    echo "缺少 pdftoppm：请安装 poppler-utils" >&2
    exit 1
fi
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-}
if [ -z "$python" ]; then
    if [ -x "$root/.venv/bin/python" ]; then python="$root/.venv/bin/python"; else python=python3; fi
fi

mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/budgetdoc-preview.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

case "$docx" in
    *.xlsx) ext=xlsx ;;
    *) ext=docx ;;
esac
cp "$docx" "$work/report.$ext"
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" "$python" -m budgetdoc.pdf "$work/report.$ext" --outdir "$work"

name=$(basename "$docx" ".$ext")
rm -f "$out"/page-*.png
cp "$work/report.pdf" "$out/$name.pdf"
pdftoppm -png -r 80 "$out/$name.pdf" "$out/page"
