#!/bin/sh
# Preview a DOCX (or the XLSX of the 公开表) as LibreOffice renders it: PDF plus one PNG per page.
#
#   scripts/preview.sh REPORT.docx OUT_DIR
#   scripts/preview.sh REPORT.xlsx OUT_DIR
#
# Writes OUT_DIR/<name>.pdf and OUT_DIR/page-N.png (pdftoppm, 80 dpi).
# LibreOffice runs headless with a fresh profile (parallel runs do not clash)
# and with a fontconfig file that maps the official 公文 fonts to the Noto CJK
# faces (LibreOffice ignores the DOCX's w:altName; see docs/typesetting.md).
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
for tool in soffice pdftoppm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "缺少 $tool：请安装 libreoffice-writer-nogui 和 poppler-utils" >&2
        exit 1
    fi
done

mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/budgetdoc-preview.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

serif="宋体 SimSun 仿宋 FangSong 仿宋_GB2312 FangSong_GB2312 楷体 KaiTi 楷体_GB2312 KaiTi_GB2312"
heavy_serif="方正小标宋简体 方正小标宋_GBK 华文中宋 STZhongsong"
sans="黑体 SimHei 方正黑体_GBK"
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
    echo '<fontconfig>'
    echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
    for name in $serif; do
        echo "  <alias binding=\"same\"><family>$name</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>"
    done
    # 小标宋 is a heavy Song face: the bold Noto Serif is the nearer stand-in.
    for name in $heavy_serif; do
        echo "  <match target=\"pattern\"><test name=\"family\"><string>$name</string></test>"
        echo "    <edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>Noto Serif CJK SC</string></edit>"
        echo "    <edit name=\"weight\" mode=\"assign\" binding=\"strong\"><const>bold</const></edit></match>"
    done
    for name in $sans; do
        echo "  <alias binding=\"same\"><family>$name</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>"
    done
    echo '</fontconfig>'
} >"$work/fonts.conf"

case "$docx" in
    *.xlsx) ext=xlsx ;;
    *) ext=docx ;;
esac
cp "$docx" "$work/report.$ext"
FONTCONFIG_FILE="$work/fonts.conf" soffice \
    "-env:UserInstallation=file://$work/profile" \
    --headless --convert-to pdf --outdir "$work" "$work/report.$ext" >"$work/soffice.log" 2>&1 || {
    echo "LibreOffice 转换失败：" >&2
    cat "$work/soffice.log" >&2
    exit 1
}
if [ ! -s "$work/report.pdf" ]; then
    echo "LibreOffice 没有生成 PDF：" >&2
    cat "$work/soffice.log" >&2
    exit 1
fi

name=$(basename "$docx" ".$ext")
rm -f "$out"/page-*.png
cp "$work/report.pdf" "$out/$name.pdf"
pdftoppm -png -r 80 "$out/$name.pdf" "$out/page"
