"""Chinese UI strings of the civilisation-campaign integrity statistics (文明创城诚信统计)."""

from __future__ import annotations

TITLE = "文明创城诚信统计"
SUBTITLE = "按街道乡镇、单位类型和年度统计文明创建荣誉、诚信活动与失信情况，并计算街乡诚信综合指数"
YEAR = "统计年度"
UNIT_TYPE = "单位类型"
ALL_UNIT_TYPES = "全部单位"
SUBJECT_TYPE = "失信统计主体"
YEAR_OPTION = "{year} 年"
NEWEST_YEAR = "最新年度"
YEAR_PARTIAL = "{year} 年（{months} 个月）"

KPI_HONOURS = "文明创建荣誉"
KPI_ACTIVITIES = "诚信活动"
KPI_ADVERSE_RESIDENTS = "每万常住人口失信记录"
KPI_ADVERSE_LEGAL = "每千户法人失信记录"
KPI_BLACK = "新增黑名单"
KPI_TOP = "诚信综合指数第一"
NOTE_YOY = "同比 {change:+,}（上年 {previous:,}）"
NOTE_NO_PREVIOUS = "上年无数据"
NOTE_ADVERSE_RESIDENTS = "自然人失信记录 {count:,} 条 / 常住人口 {population:,} 人"
NOTE_ADVERSE_LEGAL = "法人失信记录 {count:,} 条 / 在册法人 {legal:,} 户"
NOTE_BLACK = "自然人 {persons:,} · 法人 {legal:,}（每万人 {per_10k} · 每千户 {per_1k}）"
NOTE_TOP = "指数 {index:.1f}；第二 {second}"
NOT_SELECTED = "未选"
NO_VALUE = "—"

CHART_RANKING = "街乡诚信综合指数排名（{year} 年）"
CHART_TREEMAP = "街乡诚信综合指数（{year} 年；面积为常住人口，颜色为指数）"
CHART_CHANGE = "综合指数同比变化（{year} 年对比 {previous} 年）"
CHART_HONOURS_TOWN = "文明创建荣誉与诚信活动（按街乡，{year} 年）"
CHART_UNIT_TYPE = "文明创建荣誉与诚信活动（按单位类型，{year} 年）"
CHART_RESIDENT_RATES = "自然人失信情况（每万常住人口，{year} 年）"
CHART_LEGAL_RATES = "法人失信情况（每千户在册法人，{year} 年）"
CHART_QUARTERS = "文明创建荣誉与诚信活动（按季度）"
CHART_YEARS = "全区失信率逐年变化（不足 12 个月的年份已注明月数）"
UNIT_INDEX = "指数（0-100）"
UNIT_POINTS = "指数变化（分）"
UNIT_PER_10K = "条/万人"
UNIT_PER_1K = "条/千户"
UNIT_ITEMS = "项"
UNIT_PEOPLE = "人"
KIND_HONOUR = "文明创建荣誉"
KIND_ACTIVITY = "诚信活动"
SERIES_ADVERSE = "失信记录"
SERIES_BLACK = "新增黑名单"
SERIES_ADVERSE_10K = "自然人失信记录"
SERIES_BLACK_10K = "自然人新增黑名单"
SERIES_ADVERSE_1K = "法人失信记录"
SERIES_BLACK_1K = "法人新增黑名单"
RANK_CHANGE = "{change:+d} 位"
MOVERS_UP = "上升最多：{names}"
MOVERS_DOWN = "下降最多：{names}"
MOVERS_NONE = "上年无可比数据"
MOVER_ITEM = "{town}（{change:+d} 位）"

WEIGHTS_TITLE = "综合指数计算方法与权重"
WEIGHTS_METHOD = ("各分项先在 22 个街乡之间换算为 0-100 分（最好者 100 分、最差者 0 分；各街乡相同时均计 100 分；"
                  "荣誉、活动越多越好，失信记录、黑名单越少越好），再按下表权重加权平均。"
                  "自然人按每万常住人口计，法人按每千户在册法人（截至年末、未注销）计；某分项无数据时按其余权重折算。")
WEIGHTS_COMPONENT = "分项"
WEIGHTS_WEIGHT = "权重"
WEIGHTS_EDIT = "调整权重"
WEIGHTS_SAVE = "保存权重"
WEIGHTS_HELP = "输入各分项的相对权重（百分比，可不等于 100，保存时按比例换算）。修改会记入审计日志。"
WEIGHTS_SAVED = "权重已保存，综合指数已按新权重重新计算。"
WEIGHTS_FAILED = "未保存：{reason}"
WEIGHTS_SOURCE_DEFAULT = "当前使用系统默认权重"
WEIGHTS_SOURCE_SETTING = "当前使用区里配置的权重"

TOWN_TABLE = "街乡诚信统计表"
EVENTS_TABLE = "文明创建荣誉与诚信活动明细"
EXPORT_TOWNS = "街乡诚信统计"
EXPORT_EVENTS = "荣誉与活动明细"
EXPORT_NOTE = "统计年度：{year} 年；单位类型：{unit_type}；失信统计主体：{subject_type}；导出日期：{day}"
EXPORT_NOTE_WEIGHTS = "综合指数权重：{weights}"
EXPORT_NOTE_MASK = "自然人姓名已按规定脱敏"

TOWN_COLUMNS: dict[str, str] = {
    "rank": "排名",
    "town_name": "街道乡镇",
    "town_kind": "类别",
    "index": "综合指数",
    "index_change": "指数同比",
    "rank_change": "名次变化",
    "population": "常住人口（人）",
    "legal_persons": "在册法人（户）",
    "honours": "文明荣誉（项）",
    "activities": "诚信活动（场）",
    "adverse_residents": "自然人失信记录（条）",
    "adverse_legal": "法人失信记录（条）",
    "black_residents": "自然人新增黑名单",
    "black_legal": "法人新增黑名单",
    "honours_per_10k": "每万人荣誉",
    "activities_per_10k": "每万人活动",
    "adverse_per_10k": "每万人失信记录",
    "adverse_per_1k": "每千户法人失信记录",
    "black_per_10k": "每万人新增黑名单",
    "black_per_1k": "每千户法人新增黑名单",
}
EVENT_COLUMNS: dict[str, str] = {
    "event_date": "日期",
    "town_name": "街道乡镇",
    "unit_type_name": "单位类型",
    "unit_name": "单位/个人",
    "kind_name": "类别",
    "item": "荣誉/活动名称",
}
