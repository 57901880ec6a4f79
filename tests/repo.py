"""Where the repository's real data and templates are (imported by tests)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TEMPLATES = ROOT / "budgetdoc" / "templates"
STYLES = ROOT / "budgetdoc" / "styles"          # the other house styles budgetdoc ships


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    """Replace text in a data file; each old text must occur exactly once."""
    text = path.read_text("utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")
EXAMPLE = ROOT / "examples" / "demo"     # the fictional, complete example department (two years)


# ------------------------------------------------------------------ 单位口径: data/2020 kept per budget unit

UNIT_MAIN = "奈曼旗政务服务局本级"     # the two units data/2020/department.yaml lists under 机构设置.单位
UNIT_CENTRE = "奈曼旗政务服务中心"


def split_into_units(data: Path, year: str = "2020") -> tuple[Path, Path]:
    """Keep ``data/<year>`` (a copy of data/2020) per budget unit, the two units adding up to it exactly.

    本级 keeps the 基本支出 (122.41 + 7.50), the project 取暖费 7.56, the “三公” and
    the car; the 中心 the other two projects (27.18 + 12 = 39.18) and the 事业
    staff.  The department's own files stay where they are (each figure then
    checked against the units' sum); remove a figure file to have it made from
    the units.  Returns the two unit folders.
    """
    year_folder = data / year
    units = year_folder / "units"
    main, centre = units / UNIT_MAIN, units / UNIT_CENTRE
    for unit in (main, centre):
        unit.mkdir(parents=True)
        for name in ("department.yaml", "income.yaml", "expenditure.yaml", "functions.yaml", "three_public.yaml",
                     "operating_costs.yaml", "procurement.yaml", "assets.yaml"):
            (unit / name).write_bytes((year_folder / name).read_bytes())
    unit_list = ("    - 名称: 奈曼旗政务服务局本级\n      性质: 财政拨款的行政单位\n"
                 "    - 名称: 奈曼旗政务服务中心\n      性质: 全额拨款事业单位\n")
    edit(main / "department.yaml", ("部门名称: 奈曼旗政务服务局", f"部门名称: {UNIT_MAIN}"),
         ("部门简称: 旗政务服务局", "部门简称: 旗政务服务局本级"),
         (unit_list, "    - 名称: 奈曼旗政务服务局本级\n      性质: 财政拨款的行政单位\n"),
         ("  事业编制: 11", "  事业编制: 0"), ("  事业实有人数: 10", "  事业实有人数: 0"))
    edit(centre / "department.yaml", ("部门名称: 奈曼旗政务服务局", f"部门名称: {UNIT_CENTRE}"),
         ("部门简称: 旗政务服务局", "部门简称: 旗政务服务中心"),
         (unit_list, "    - 名称: 奈曼旗政务服务中心\n      性质: 全额拨款事业单位\n"),
         ("  行政编制: 6", "  行政编制: 0"), ("  行政实有人数: 4", "  行政实有人数: 0"))
    # 本级: everything but two projects (176.65 − 39.18 = 137.47), all of it 一般公共服务 less 39.18
    edit(main / "income.yaml", ("合计: 176.65", "合计: 137.47"), ("一般公共预算拨款收入: 176.65", "一般公共预算拨款收入: 137.47"))
    edit(main / "expenditure.yaml", ("合计: 176.65", "合计: 137.47"), ("  合计: 46.74", "  合计: 7.56"),
         ("    - 名称: 房屋租金、劳务费、物业费\n      金额: 27.18\n      绩效目标: 已公开\n"
          "    - 名称: 集中采购机构评审专家劳务报酬\n      金额: 12\n      绩效目标: 已公开\n", ""))
    edit(main / "functions.yaml", ("    金额: 110.91", "    金额: 71.73"))
    edit(main / "operating_costs.yaml", ("合计: 54.24", "合计: 15.06"))    # 明细 7.50 + its project 7.56
    # 中心: the two projects, as 一般公共服务
    edit(centre / "income.yaml", ("合计: 176.65", "合计: 39.18"), ("一般公共预算拨款收入: 176.65", "一般公共预算拨款收入: 39.18"))
    edit(centre / "expenditure.yaml", ("合计: 176.65", "合计: 39.18"), ("  合计: 129.91", "  合计: 0"),
         ("  人员经费: 122.41", "  人员经费: 0"), ("  公用经费: 7.50", "  公用经费: 0"), ("  合计: 46.74", "  合计: 39.18"),
         ("    - 名称: 取暖费\n      金额: 7.56\n      绩效目标: 已公开\n", ""))
    functions = (centre / "functions.yaml").read_text("utf-8")
    head = functions[:functions.index("一般公共预算:")]
    (centre / "functions.yaml").write_text(
        head + "一般公共预算:\n  - 编码: 201\n    名称: 一般公共服务支出\n    简称: 一般公共服务\n    金额: 39.18\n"
        "    用途: 政务服务中心项目支出\n政府性基金: []\n", "utf-8")
    edit(centre / "three_public.yaml", ("合计:\n  预算数: 1.5", "合计:\n  预算数: 0"),
         ("    预算数: 1.5\n  购置费", "    预算数: 0\n  购置费"), ("    预算数: 1.5\n  变动原因", "    预算数: 0\n  变动原因"))
    costs = (centre / "operating_costs.yaml").read_text("utf-8")
    (centre / "operating_costs.yaml").write_text(
        costs[:costs.index("合计: 54.24")] + "合计: 39.18\n明细: []\n包括项目支出: 是\n", "utf-8")
    edit(centre / "assets.yaml", ("车辆: 1", "车辆: 0"), ("一般公务用车: 1", "一般公务用车: 0"))
    return main, centre
