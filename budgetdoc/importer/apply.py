"""An :class:`~.extract.Extract` → the year's data files: figures only, text and comments kept.

The file's figures are written where the data keeps them (the loader's YAML
paths; 功能分类 and 经济分类 lines matched by code, projects by name; lines
the file no longer has are removed, new ones inserted in code order).  Then
every total the file does not state is derived from its parts as
``fix-totals`` does; a total the file states that disagrees with its parts is
the file's own inconsistency, named at its cell.  Last, the result is
checked as ``budgetdoc check`` would: any error, and nothing is written.

Where the 公开表 do not say how a figure divides (one line of the
一般公共预算支出表 paid partly from 上年结转: how much of its 基本支出 is
whose), the data's own division is kept when it still fits; otherwise
上年结转 pays 项目支出 first (carried-over money is, as a rule, unfinished
projects), and a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..checks.identities import SPLIT_PARTS
from ..load import YearFolder, _shown_root, load_year
from ..model import DATA_FILES, FUNCTION_SOURCES, INCOME_SOURCES, EconomicItem, FunctionItem
from ..number import ZERO
from ..number import plain as as_written
from ..problems import BudgetError, Problem, Source, error, has_errors, some_of
from ..totals import derive
from ..yamledit import Change, FileForm, YearDocs, check_texts, figure, written
from .cells import squash
from .extract import SPLIT, Extract, Fig, Row

SUBTOTAL_RULE = "导入小计"
TREE_KEYS = {attr: key for attr, key, _ in FUNCTION_SOURCES}
SPLIT_KEYS = dict(zip(SPLIT, ("基本支出", "项目支出", "事业单位经营支出")))


@dataclass
class Line:
    """A 功能分类 line as the file gives it for one tree."""

    code: str
    name: str
    amount: Decimal
    where: Source
    split: dict[str, Decimal] | None = None
    children: list["Line"] = field(default_factory=list)


@dataclass
class Imported:
    changes: list[Change]
    files: dict[Path, bytes]
    notes: list[str]


def _tree_of(lines: dict[str, Line]) -> list[Line]:
    """Lines by code → 类 with their 款 and 项, in code order."""
    for code in sorted(lines, key=len, reverse=True):
        if len(code) > 3 and code[:-2] in lines:
            lines[code[:-2]].children.append(lines[code])
    for line in lines.values():
        line.children.sort(key=lambda l: l.code)
    return sorted((l for c, l in lines.items() if len(c) == 3 or c[:-2] not in lines), key=lambda l: l.code)


class Applier:
    def __init__(self, extract: Extract, data_root: Path, year: int, texts: dict[str, str], folder: Path):
        self.ex = extract
        self.year = year
        self.data_root = data_root
        shown = f"{_shown_root(data_root)}/{year}"
        self.folder = YearFolder(year, folder, shown)
        self.docs = YearDocs(folder, texts)
        budget, problems = load_year(self.folder, strict=True, texts=texts)
        if has_errors(problems):
            raise BudgetError(problems)
        self.budget = budget
        self.ex = extract.in_unit(budget.unit.name)      # the export's figures in the department's data unit
        self.changes: list[Change] = []
        self.given: dict[str, Source] = {}
        self.notes: list[str] = list(extract.notes)
        self.problems: list[Problem] = []

    # ------------------------------------------------------------ helpers

    def file(self, name: str) -> Source:
        return Source(f"{self.folder.shown}/{name}")

    def put(self, name: str, amount, fig: Fig | None, label: str, parent_path: str = "", key: str = "",
            add: bool = True) -> None:
        """The file's figure into the data: at ``amount``'s place, or as a new ``key`` under ``parent_path``."""
        if fig is None:
            return
        self.given[label] = fig.where
        if amount is not None:
            if amount.value != fig.value:
                self.docs.set(name, amount.source.path, fig.value, as_written(amount.value))
                self.changes.append(Change(amount.source, label, amount.value, fig.value))
            return
        if not add or fig.value == ZERO:
            return
        parent = self.docs.node(name, parent_path) if parent_path else self.docs.docs[name]
        parent[key] = written(fig.value)
        self.docs.touched.add(name)
        self.changes.append(Change(self.file(name), label, None, fig.value))

    # ------------------------------------------------------------ sections

    def run(self) -> Imported:
        self.identity()
        if self.problems:
            raise BudgetError(self.problems)
        self.income()
        self.expenditure()
        self.functions()
        self.economic()
        self.three_public()
        self.projects()
        if self.problems:
            raise BudgetError(self.problems)
        texts = self.docs.texts()
        budget, problems = load_year(self.folder, strict=True, texts=texts)
        if has_errors(problems):     # what was written is what the loader reads: a bug if not
            raise BudgetError(problems)
        derived = derive(budget, self.given)
        for label, where, stated, computed in derived.conflicts:
            self.problems.append(error("导入小计", f"{label} 在文件中是 {figure(stated)}，由文件中它的组成部分算出是 "
                                       f"{figure(computed)}，相差 {figure(abs(stated - computed))}：文件自身前后不一致。", where,
                                       "核对这一格和组成它的各表、各行（例如部门收支总表的收入与功能分类各表的合计），"
                                       "在 Excel 中改正后再导入。"))
        if self.problems:
            raise BudgetError(self.problems)
        for change in derived.changes:
            name = Path(change.source.file).name      # type: ignore[union-attr]
            self.docs.set(name, change.source.path, change.new, as_written(change.old) if change.old is not None else None)  # type: ignore[union-attr]
        self.changes += derived.changes
        final = self.docs.texts()
        check_texts(self.data_root, self.year, final)
        files = {}
        for name, text in final.items():
            path = self.folder.path / name
            # each file in its own form (a new year's in that of the year before, as new-year writes it)
            like = path if path.is_file() else self.data_root / str(self.year - 1) / name
            content = FileForm.read(like).encode(text)
            if content != _on_disk(path):
                files[path] = content
        return Imported(self.changes, files, self.notes)

    def identity(self) -> None:
        dept = self.budget.department
        if self.ex.year is not None and self.ex.year[0] != self.year:
            self.problems.append(error("导入年度", f"这个文件是 {self.ex.year[0]} 年的，不是 {self.year} 年的。", self.ex.year[1],
                                       f"导入到 {self.ex.year[0]} 年（budgetdoc import 文件 {self.ex.year[0]}），"
                                       f"或选 {self.year} 年的文件。"))
        known = {squash(dept.name)} | {squash(u.name or "") for u in (dept.organization.units if dept.organization else ())} \
            if dept is not None and dept.name else set()
        if self.ex.agencies and known:
            strangers = sorted(a for a in self.ex.agencies if squash(a) not in known
                               and not squash(a).startswith(squash(dept.name)))   # type: ignore[union-attr]
            self.ex.department = (strangers[0], self.ex.agencies[strangers[0]]) if strangers else None
        if self.ex.department is not None and dept is not None and dept.name \
                and squash(self.ex.department[0]) not in known:
            self.problems.append(error("导入部门", f"这个文件是“{self.ex.department[0]}”的，数据是“{dept.name}”的。",
                                       self.ex.department[1],
                                       f"选本部门的文件；确是本部门（改了名称）时，先改 department.yaml 的部门名称。",
                                       [dept.field_sources.get("name", dept.source)] if dept.source else []))

    def income(self) -> None:
        inc = self.budget.income
        if inc is None:
            return
        for attr, key in INCOME_SOURCES:
            self.put("income.yaml", getattr(inc, attr), self.ex.income.get(attr), f"收入 {key}", key=key)
        self.put("income.yaml", inc.total, self.ex.income.get("total"), "收入 合计")

    def expenditure(self) -> None:
        exp = self.budget.expenditure
        if exp is None:
            return
        sp = dict(self.ex.spending)
        if self.ex.split is not None and "operating" not in sp and exp.operating is not None \
                and exp.operating.value != ZERO:
            first = next(iter(self.ex.split.values()), None)
            if first is not None:        # 部门支出总表 without a 事业单位经营支出 column: there is none
                sp["operating"] = Fig(ZERO, first.where)
        self.put("expenditure.yaml", exp.total, sp.get("total"), "支出 合计")
        self.put("expenditure.yaml", exp.carry_forward, sp.get("carry_forward"), "支出 结转下年", key="结转下年")
        self.put("expenditure.yaml", exp.operating, sp.get("operating"), "支出 事业单位经营支出")
        if exp.basic is not None:
            self.put("expenditure.yaml", exp.basic.total, sp.get("basic"), "支出 基本支出 合计")
            self._personnel(exp, sp.get("basic"))
        if exp.project is not None:
            self.put("expenditure.yaml", exp.project.total, sp.get("project"), "支出 项目支出 合计")

    def _personnel(self, exp, basic_fig: Fig | None) -> None:
        """人员经费 and 公用经费: the 基本支出表's 合计 row when all 基本支出 is 一般公共预算."""
        total = self.ex.economic_total
        if total is None or basic_fig is None or exp.basic is None:
            return
        personnel, public = total.values.get("personnel"), total.values.get("public")
        if personnel is None or public is None:
            return
        rest = basic_fig.value - personnel.value - public.value
        if rest < ZERO:             # the 一般公共预算 part cannot be more than the whole
            self.problems.append(error(
                "导入小计", f"一般公共预算基本支出表合计行的人员经费 {figure(personnel.value)} + 公用经费 {figure(public.value)} = "
                f"{figure(personnel.value + public.value)}，比部门支出总表的基本支出 {figure(basic_fig.value)} 还多 "
                f"{figure(-rest)}：一般公共预算安排的基本支出不能多于全部基本支出，文件自身前后不一致。", personnel.where,
                "核对这两张表的基本支出（人员经费、公用经费和它们的合计），在 Excel 中改正后再导入。",
                [public.where, basic_fig.where]))
            return
        others = [key for key, fig in (self.ex.income or {}).items()
                  if key not in ("general", "total") and fig is not None and fig.value != ZERO]
        if rest > ZERO and self.ex.income and not others:      # nothing but 一般公共预算 could pay the rest
            self.problems.append(error(
                "导入小计", f"一般公共预算基本支出表合计行的人员经费 {figure(personnel.value)} + 公用经费 {figure(public.value)} = "
                f"{figure(personnel.value + public.value)}，比部门支出总表的基本支出 {figure(basic_fig.value)} 少 "
                f"{figure(rest)}，而部门收支总表中除一般公共预算拨款外没有其他收入可以安排这部分基本支出：文件自身前后不一致。",
                personnel.where, "核对这两张表的基本支出（人员经费、公用经费和它们的合计），在 Excel 中改正后再导入。",
                [public.where, basic_fig.where]))
            return
        if rest == ZERO:
            self.put("expenditure.yaml", exp.basic.personnel, personnel, "支出 基本支出 人员经费")
            self.put("expenditure.yaml", exp.basic.public, public, "支出 基本支出 公用经费")
            return
        old_p, old_q = exp.basic.personnel, exp.basic.public
        if old_p is None or old_q is None:
            return
        extra_public = min(max(old_q.value - public.value, ZERO), rest) if rest > ZERO else ZERO
        new_q, new_p = public.value + extra_public, basic_fig.value - public.value - extra_public
        for amount, value, label in ((old_p, new_p, "人员经费"), (old_q, new_q, "公用经费")):
            if amount.value != value:
                self.docs.set("expenditure.yaml", amount.source.path, value, as_written(amount.value))
                self.changes.append(Change(amount.source, f"支出 基本支出 {label}", amount.value, value))
        if old_p.value != new_p or old_q.value != new_q:
            self.notes.append(f"提示：基本支出中由其他资金安排的 {figure(rest)} {self.budget.unit.name}，文件没有分人员经费和公用经费；"
                              "按原数据的分法保留公用经费，其余算作人员经费，请核对 expenditure.yaml。")

    # ------------------------------------------------------------ 功能分类

    def functions(self) -> None:
        fn = self.budget.functions
        if fn is None:
            return
        if self.ex.trees is not None:
            trees = {attr: _tree_of({c: Line(c, r.name, r.get("total") or ZERO, r.where, _split_of(r))
                                     for c, r in rows.items()}) for attr, rows in self.ex.trees.items()}
        else:
            trees = self._solve()
        if trees is None:
            return
        doc = self.docs.docs["functions.yaml"]
        existing = {attr: items for attr, _, items in fn.trees()}
        for attr, key in TREE_KEYS.items():
            lines = trees.get(attr)
            if lines is None and attr not in existing:
                continue
            lines = lines or []
            if key not in doc:
                if not lines:
                    continue
                doc[key] = CommentedSeq()
            elif doc[key] is None:
                doc[key] = CommentedSeq()
            self.docs.touched.add("functions.yaml")
            self._merge(doc[key], existing.get(attr) or (), lines, f"功能分类 {key}")

    def _merge(self, seq: Any, items: tuple[FunctionItem, ...], lines: list[Line], label: str) -> None:
        by_code = {line.code: line for line in lines}
        old = {item.code: item for item in items}
        for index in reversed(range(len(seq))):
            code = str(seq[index].get("编码", "")) if hasattr(seq[index], "get") else ""
            if code not in by_code:
                item = old.get(code)
                self.changes.append(Change(item.source if item else None, f"{label} {code} {item.name if item else ''}".rstrip()
                                           + " 金额", item.amount.value if item and item.amount else None, None))
                del seq[index]
        for line in lines:
            item = old.get(line.code)
            where = f"{label} {line.code} {item.name if item else line.name}"
            self.given[f"{where} 金额"] = line.where
            if item is None:
                self._named(line)
                node = self._new_line(line)
                position = next((i for i, existing in enumerate(seq) if str(existing.get("编码", "")) > line.code), len(seq))
                seq.insert(position, node)
                self.changes.append(Change(None, f"{where} 金额", None, line.amount))
                continue
            node = next(n for n in seq if str(n.get("编码", "")) == line.code)
            self._update_line(node, item, line, where, label)

    def _named(self, line: Line) -> None:
        """A line new to the data needs its 科目名称: from the file, else the code table."""
        for child in line.children:
            self._named(child)
        if not line.name:
            self.problems.append(error("导入科目", f"科目 {line.code} 是新的科目，文件中没有写它的名称，政府收支分类科目中也没有这个编码。",
                                       line.where, "在文件中加上这一级科目的名称（如功能分类名称一栏、或写成“编码-名称”的一行），"
                                       "或先在 functions.yaml 中写上这个科目，再导入。"))

    def _new_line(self, line: Line) -> CommentedMap:
        node = CommentedMap()
        node["编码"] = int(line.code)
        node["名称"] = line.name
        node["金额"] = written(line.amount)
        for part, key in SPLIT_KEYS.items():
            value = (line.split or {}).get(part, ZERO)
            if value != ZERO:
                node[key] = written(value)
        if line.children:
            node["下级"] = CommentedSeq(self._new_line(child) for child in line.children)
        return node

    def _update_line(self, node: Any, item: FunctionItem, line: Line, where: str, label: str) -> None:
        self._value(node, "金额", item.amount, line.amount, f"{where} 金额")
        for (attr, name), part in zip(SPLIT_PARTS, SPLIT):
            amount = getattr(item, attr)
            if line.split is None:
                if amount is not None:
                    del node[name]
                    self.changes.append(Change(amount.source, f"{where} {name}", amount.value, None))
                continue
            value = line.split.get(part, ZERO)
            self.given[f"{where} {name}"] = line.where
            if amount is None and value == ZERO and item.split:
                continue
            if amount is None:
                keys = list(node.keys())
                after = max((keys.index(k) for k in ("金额", *SPLIT_KEYS.values()) if k in keys), default=len(keys) - 1)
                node.insert(after + 1, name, written(value))
                self.changes.append(Change(item.source, f"{where} {name}", None, value))
            else:
                self._value(node, name, amount, value, f"{where} {name}")
        if line.children or item.children:
            if "下级" not in node or node["下级"] is None:
                node["下级"] = CommentedSeq()
            self._merge(node["下级"], item.children, line.children, label)
            if not line.children and "下级" in node and not node["下级"]:
                del node["下级"]

    def _value(self, node: Any, key: str, amount, value: Decimal, label: str) -> None:
        if amount is not None and amount.value == value:
            return
        node[key] = written(value, as_written(amount.value) if amount is not None else None)
        self.changes.append(Change(amount.source if amount is not None else None, label,
                                   amount.value if amount is not None else None, value))

    def _solve(self) -> dict[str, list[Line]] | None:
        """Each tree's lines from the 公开表: 部门收入总表 by source; the splits from 表3, 表4 and 部门支出总表."""
        ex = self.ex
        if ex.by_source is None:
            if ex.general is None:
                return None
            fn = self.budget.functions
            others = [key for attr, key, items in (fn.trees() if fn else []) if items and attr not in ("general", "fund")]
            if others:
                self.problems.append(error("导入表格", f"文件中没有部门收入总表，无法知道功能分类中哪些属于{'、'.join(others)}。",
                                           Source(ex.general[next(iter(ex.general))].where.file.split("［")[0])
                                           if ex.general else None, "导出包括部门收入总表的公开表，或用逐行明细导入。"))
                return None
            trees = {"general": {c: r for c, r in ex.general.items()}}
            if ex.fund is not None:
                trees["fund"] = dict(ex.fund)
            return {attr: _tree_of({c: Line(c, r.name, r.get("total") or ZERO, r.where, _split_of(r))
                                    for c, r in rows.items() if r.get("total")}) for attr, rows in trees.items()}
        attrs = [attr for attr in TREE_KEYS if any(row.get(attr) for row in ex.by_source.values())]
        existing = self._existing_splits()
        per_tree: dict[str, dict[str, Line]] = {attr: {} for attr in attrs}
        ruled = []
        for code, row in ex.by_source.items():
            amounts = {attr: row.get(attr) or ZERO for attr in attrs if row.get(attr)}
            if not amounts:
                continue
            splits = self._splits(code, amounts, existing, ruled)
            for attr, value in amounts.items():
                per_tree[attr][code] = Line(code, row.name, value, row.values[attr].where, splits.get(attr))
        if ruled:
            self.notes.append("提示：公开表没有分开列出一般公共预算和上年结转（或其他几种资金）各自的基本支出、项目支出："
                              f"科目 {'、'.join(sorted(set(ruled)))} 按“上年结转先用于项目支出”分配，请核对 functions.yaml。")
        return {attr: _tree_of(lines) for attr, lines in per_tree.items()} | \
            {attr: [] for attr in ("general", "fund") if attr not in per_tree}

    def _existing_splits(self) -> dict[tuple[str, str], dict[str, Decimal]]:
        out: dict[tuple[str, str], dict[str, Decimal]] = {}
        fn = self.budget.functions

        def walk(attr: str, items: tuple[FunctionItem, ...]) -> None:
            for item in items:
                if item.split:
                    out[(attr, item.code or "")] = {part: (getattr(item, a).value if getattr(item, a) else ZERO)
                                                    for (a, _), part in zip(SPLIT_PARTS, SPLIT)}
                walk(attr, item.children)
        for attr, _, items in (fn.trees() if fn else []):
            walk(attr, items)
        return out

    def _splits(self, code: str, amounts: dict[str, Decimal], existing, ruled: list[str]) -> dict[str, dict[str, Decimal]]:
        """How each tree's line divides into 基本 / 项目 / 经营, from the tables that show the split."""
        ex = self.ex
        out: dict[str, dict[str, Decimal]] = {}

        def parts(rows: dict[str, Row] | None) -> dict[str, Decimal] | None:
            row = (rows or {}).get(code)
            if row is None or not any(k in row.values for k in SPLIT):
                return None
            return {k: row.get(k) or ZERO for k in SPLIT}

        general, fund, whole = parts(ex.general), parts(ex.fund), parts(ex.split)
        groups = [([a for a in ("carryover", "general") if a in amounts], general),
                  ([a for a in ("fund",) if a in amounts], fund)]
        if whole is not None:
            rest = dict(whole)
            ok = True
            for trees, known in groups:
                if trees:
                    if known is None:
                        ok = False
                        break
                    rest = {k: rest[k] - known[k] for k in SPLIT}
            others = [a for a in amounts if a not in ("carryover", "general", "fund")]
            if ok and others:
                groups.append((others, rest))
        for trees, known in groups:
            if not trees or known is None:
                continue
            if len(trees) == 1:
                out[trees[0]] = known
                continue
            kept = self._keep(trees, known, amounts, existing, code)
            if kept is None:
                ruled.append(code)
                kept = _by_rule(trees, known, amounts)
            out.update(kept)
        return out

    def _keep(self, trees, known, amounts, existing, code) -> dict[str, dict[str, Decimal]] | None:
        """The data's own division, if every tree but the last has one that adds up and fits."""
        out = {}
        left = dict(known)
        for attr in trees[:-1]:
            split = existing.get((attr, code))
            if split is None or sum(split.values(), ZERO) != amounts[attr] \
                    or any(split[k] > left[k] or split[k] < 0 for k in SPLIT):
                return None
            out[attr] = split
            left = {k: left[k] - split[k] for k in SPLIT}
        if sum(left.values(), ZERO) != amounts[trees[-1]] or any(v < 0 for v in left.values()):
            return None
        out[trees[-1]] = left
        return out

    # ------------------------------------------------------------ 经济分类, 三公, 项目

    def economic(self) -> None:
        rows = self.ex.economic
        exp = self.budget.expenditure
        if rows is None or exp is None or exp.basic is None:
            return
        basic = self.docs.docs["expenditure.yaml"].get("基本支出")
        if basic is None:
            return
        lines = {c: r for c, r in rows.items()}
        if not lines and not exp.basic.economic:
            return
        if "经济分类" not in basic or basic["经济分类"] is None:
            if not lines:
                return
            basic["经济分类"] = CommentedSeq()
        self.docs.touched.add("expenditure.yaml")
        tree = {c: r for c, r in lines.items() if len(c) == 3}
        self._merge_economic(basic["经济分类"], exp.basic.economic or (), sorted(tree), lines, "经济分类")

    def _merge_economic(self, seq, items: tuple[EconomicItem, ...], codes: list[str], rows: dict[str, Row],
                        label: str) -> None:
        old = {item.code: item for item in items}
        for index in reversed(range(len(seq))):
            code = str(seq[index].get("编码", ""))
            if code not in codes:
                item = old.get(code)
                self.changes.append(Change(item.source if item else None, f"{label} {code} {item.name if item else ''}".rstrip(),
                                           None, None))
                del seq[index]
        for code in codes:
            row = rows[code]
            children = sorted(c for c in rows if len(c) == len(code) + 2 and c.startswith(code))
            item = old.get(code)
            where = f"{label} {code} {item.name if item else row.name}"
            if item is None:
                node = CommentedMap()
                node["编码"] = int(code)
                node["名称"] = row.name
                for key, name in (("personnel", "人员经费"), ("public", "公用经费")):
                    if row.get(key):
                        node[name] = written(row.get(key))  # type: ignore[arg-type]
                if children:
                    node["下级"] = CommentedSeq()
                position = next((i for i, e in enumerate(seq) if str(e.get("编码", "")) > code), len(seq))
                seq.insert(position, node)
                self.changes.append(Change(None, where, None, row.get("total")))
                if children:
                    self._merge_economic(node["下级"], (), children, rows, label)
                continue
            node = next(n for n in seq if str(n.get("编码", "")) == code)
            for attr, name in (("personnel", "人员经费"), ("public", "公用经费")):
                value = row.get(attr) or ZERO
                amount = getattr(item, attr)
                self.given[f"{where} {name}"] = row.where
                if amount is None and value == ZERO:
                    continue
                if amount is None:
                    node.insert(list(node.keys()).index("名称") + 1 + (name == "公用经费" and "人员经费" in node), name,
                                written(value))
                    self.changes.append(Change(item.source, f"{where} {name}", None, value))
                else:
                    self._value(node, name, amount, value, f"{where} {name}")
            if children or item.children:
                if "下级" not in node or node["下级"] is None:
                    node["下级"] = CommentedSeq()
                self._merge_economic(node["下级"], item.children, children, rows, label)

    def three_public(self) -> None:
        tp, figs = self.budget.three_public, self.ex.three_public
        if tp is None or figs is None or tp.vehicles is None:
            return
        places = {"total": (tp.total, "合计"), "abroad": (tp.abroad, "因公出国（境）费"),
                  "reception": (tp.reception, "公务接待费"), "vehicles": (tp.vehicles.total, "公务用车购置及运行维护费"),
                  "purchase": (tp.vehicles.purchase, "公务用车购置及运行维护费 购置费"),
                  "operation": (tp.vehicles.operation, "公务用车购置及运行维护费 运行维护费")}
        for key, (figure, name) in places.items():
            if figure is not None:
                label = {"vehicles": "“三公”经费 公务用车购置及运行维护费 预算数", "total": "“三公”经费 合计 预算数"}.get(
                    key, f"“三公”经费 {name} 预算数")
                self.put("three_public.yaml", figure.budget, figs.get(key), label, add=False)

    def projects(self) -> None:
        found = self.ex.projects
        exp = self.budget.expenditure
        if found is None or exp is None or exp.project is None:
            return
        doc = self.docs.docs["expenditure.yaml"]["项目支出"]
        if "项目" not in doc or doc["项目"] is None:
            doc["项目"] = CommentedSeq()
        seq = doc["项目"]
        old = {squash(p.name or ""): (i, p) for i, p in enumerate(exp.project.projects or ())}
        wanted = {squash(p.name): p for p in found}
        appropriated = self._appropriated()
        added: list[str] = []
        for index in reversed(range(len(seq))):
            key = squash(seq[index].get("名称", ""))
            if key not in wanted:
                project = old[key][1] if key in old else None
                self.changes.append(Change(project.source if project else None, f"项目 {seq[index].get('名称', '')} 金额",
                                           project.amount.value if project and project.amount else None, None))
                del seq[index]
        for p in found:
            key = squash(p.name)
            label = f"项目 {p.name}"
            if key not in old:
                node = CommentedMap()
                node["名称"] = p.name
                node["金额"] = written(p.amount.value if p.amount else ZERO)
                if p.appropriation is not None and not (appropriated and p.amount
                                                        and p.appropriation.value == p.amount.value):
                    node["财政拨款"] = written(p.appropriation.value)
                node["绩效目标"] = "未填报"
                seq.append(node)
                self.changes.append(Change(None, f"{label} 金额", None, p.amount.value if p.amount else ZERO))
                added.append(p.name)
                continue
            project = old[key][1]
            node = next(n for n in seq if squash(n.get("名称", "")) == key)
            if p.amount is not None:
                self.given[f"{label} 金额"] = p.amount.where
                self._value(node, "金额", project.amount, p.amount.value, f"{label} 金额")
            if p.appropriation is not None:
                if project.appropriation is not None:
                    self._value(node, "财政拨款", project.appropriation, p.appropriation.value, f"{label} 财政拨款")
                elif not (appropriated and p.amount and p.appropriation.value == p.amount.value):
                    node.insert(list(node.keys()).index("金额") + 1, "财政拨款", written(p.appropriation.value))
                    self.changes.append(Change(project.source, f"{label} 财政拨款", None, p.appropriation.value))
        self.docs.touched.add("expenditure.yaml")
        if added:
            shown = some_of(f"“{name}”" for name in added)
            self.notes.append(f"提示：{len(added)} 个新项目（{shown}）的绩效目标按“未填报”写入 expenditure.yaml，请按实际填写。")

    def _appropriated(self) -> bool:
        """No income but 财政拨款: a project's 财政拨款 is its whole amount unless the data says otherwise."""
        inc = self.ex.income or {}
        sources = {attr: (inc[attr].value if attr in inc else
                          (getattr(self.budget.income, attr).value if self.budget.income and getattr(self.budget.income, attr)
                           else ZERO)) for attr in ("business", "operating", "other", "reserve")}
        return all(v == ZERO for v in sources.values())


def _split_of(row: Row) -> dict[str, Decimal] | None:
    if not any(k in row.values for k in SPLIT):
        return None
    return {k: row.get(k) or ZERO for k in SPLIT}


def _by_rule(trees: list[str], known: dict[str, Decimal], amounts: dict[str, Decimal]) -> dict[str, dict[str, Decimal]]:
    """上年结转 takes 项目支出 first; the others 基本支出 first; the last tree takes what is left."""
    order = sorted(trees, key=lambda a: (a != "carryover", list(TREE_KEYS).index(a)))
    left = dict(known)
    out: dict[str, dict[str, Decimal]] = {}
    for i, attr in enumerate(order):
        if i == len(order) - 1:
            out[attr] = dict(left)
            break
        need = amounts[attr]
        prefer = ("project", "basic", "operating_expense") if attr == "carryover" else ("basic", "project", "operating_expense")
        split = {k: ZERO for k in SPLIT}
        for k in prefer:
            take = min(need, left[k])
            split[k], left[k], need = take, left[k] - take, need - take
        out[attr] = split
    return out


def _on_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def year_texts(data_root: Path, year: int) -> tuple[dict[str, str], list[str]]:
    """The year's files (name → text): from its folder, or, for a new year, as new-year would make them."""
    from ..newyear import staged_year
    from ..yamlsrc import read_text

    folder = data_root / str(year)
    if folder.is_dir():
        texts = {}
        for data_file in DATA_FILES:
            path = folder / data_file.name
            if path.is_file():
                texts[data_file.name] = read_text(path, data_file.name)[0]
        return texts, []
    if (data_root / str(year - 1)).is_dir():
        return staged_year(data_root, year), [f"{folder} 不存在：由 {year - 1} 年的数据建立（同 budgetdoc new-year {year}），"
                                              "再填入文件中的数字。"]
    raise BudgetError([error("导入文件", f"{folder} 和上一年的 {data_root / str(year - 1)} 都不存在：导入只填数字，"
                             "部门名称、职能、名词解释等文字要先有。", Source(str(folder)),
                             "先建立该年的数据文件夹（可从其他部门或示例 examples/demo 复制后修改文字），再导入。")])
