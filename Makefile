# budgetdoc — build the 部门预算公开说明 from data/<YEAR>/.
#   make report YEAR=2020   check the data, then write build/2020/<部门名称>2020年部门预算.docx (+ .txt)
#   make report YEAR=2020 STYLE=tables-first   the same in another house style (docs/style.md)
#   make test               run the test suite
# The Makefile makes its own virtualenv (.venv) with the exact versions in constraints.txt.

PYTHON ?= python3
YEAR   ?= 2020
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help report report-all example check check-all test preview docs-preview schema bench clean

help:
	@echo "make report YEAR=2020   检查数据并生成报告 build/YEAR/*.docx 和 .txt"
	@echo "  （加 STYLE=tables-first 用另一种文风，见 docs/style.md）"
	@echo "make report-all YEAR=2020  数据按部门存放时：并行生成每个部门（和预算单位）的报告及汇总 build/YEAR/汇总.xlsx"
	@echo "make example            生成示例部门（examples/demo，虚构数据）2021 年和 2020 年的报告到 build/demo/"
	@echo "make check YEAR=2020    只检查数据"
	@echo "make check-all YEAR=2020  数据按部门存放时：逐个检查每个部门，最后一行一个部门列出结果"
	@echo "make test               运行 budgetdoc 自身的测试（用自带的 data/；改成本部门的数据后会失败，检查数据用 make check）"
	@echo "make preview YEAR=2020  生成报告的 PDF 和逐页 PNG 预览（需要 LibreOffice）"
	@echo "make docs-preview       用参考报告、示例部门报告和公开表 XLSX 的页面图更新 docs/preview/"
	@echo "make schema             重新生成 schema/ 下的 JSON Schema"
	@echo "make bench              性能测试"

# A data error is budgetdoc's to explain: `make report` and `make check` end
# with its exit code (1) and its message last, without make's own
# "make: *** [Makefile:NN: report] Error 1" under it.  GNU make keeps quiet
# about a failing command only in question mode (-q), where a recursive ('+')
# command that exits 1 means "not up to date": so for these goals -q is set,
# and every recipe they run is marked '+' (under -q make runs nothing else).
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out report report-all check check-all,$(MAKECMDGOALS)),)
MAKEFLAGS += --question
endif
endif

$(STAMP): pyproject.toml constraints.txt
	+$(PYTHON) -m venv $(VENV)
	+$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	+@touch $@

report: $(STAMP)
	+@$(BIN)/budgetdoc report $(YEAR) $(if $(STYLE),--style "$(STYLE)")

report-all: $(STAMP)
	+@$(BIN)/budgetdoc report $(YEAR) --all

example: $(STAMP)
	@$(BIN)/budgetdoc report 2021 --data examples/demo --out build/demo
	@$(BIN)/budgetdoc report 2020 --data examples/demo --out build/demo

check: $(STAMP)
	+@$(BIN)/budgetdoc check $(YEAR)

check-all: $(STAMP)
	+@$(BIN)/budgetdoc check $(YEAR) --all

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

preview: report
	@bash scripts/preview.sh "$$(ls -t build/$(YEAR)/*.docx | head -n 1)" build/$(YEAR)/preview

docs-preview: $(STAMP)
	@$(BIN)/budgetdoc report 2020 --out build/docs >/dev/null
	@$(BIN)/budgetdoc report 2021 --data examples/demo --out build/docs >/dev/null
	rm -rf docs/preview/page-*.png docs/preview/demo docs/preview/xlsx
	@bash scripts/preview.sh build/docs/2020/*.docx build/docs/preview/report
	@bash scripts/preview.sh build/docs/2021/*.docx build/docs/preview/demo
	@bash scripts/preview.sh build/docs/2021/*.xlsx build/docs/preview/xlsx
	cp build/docs/preview/report/page-*.png docs/preview/
	mkdir -p docs/preview/demo docs/preview/xlsx
	cp build/docs/preview/demo/page-*.png docs/preview/demo/
	cp build/docs/preview/xlsx/page-*.png docs/preview/xlsx/

schema: $(STAMP)
	@$(BIN)/budgetdoc schema --out schema

bench: $(STAMP)
	@$(BIN)/python scripts/bench.py

clean:
	rm -rf build
