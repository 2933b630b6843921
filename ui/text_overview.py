"""Chinese UI strings of the leadership overview (领导驾驶舱)."""

from __future__ import annotations

TITLE = "领导驾驶舱"
SUBTITLE = "全区公共信用状况一屏总览 · 点击任一指标或图表查看详情"
YEAR = "统计年度"
SUBJECT_TYPE = "主体类型"
ALL_TYPES = "全部主体"
LEGAL = "法人及其他组织（合计）"
YEAR_OPTION = "{year} 年"
NEWEST_YEAR = "最新年度"

KPI_SUBJECTS = "在册信用主体"
KPI_RECORDS = "年度信用记录"
KPI_BLACK = "黑名单在列"
KPI_RED = "红名单在列"
KPI_ON_TIME = "双公示按时率"
KPI_BELOW = "考核未达标委办局"
KPI_OBJECTIONS = "待处理异议"
KPI_HONOURS = "文明创城荣誉"

NOTE_SUBJECTS = "截至 {day}：法人及其他组织 {legal:,} · 自然人 {persons:,}"
NOTE_RECORDS_YOY = "{year} 年，同比 {change:+.1%}（上年同期 {previous:,} 条）"
NOTE_RECORDS_NO_YOY = "{year} 年，上年同期无数据"
NOTE_LIST = "截至 {day}，年内净变化 {net:+,}（新增 {listed:,}，移出 {exited:,}）"
NOTE_ON_TIME = ("{year} 年已公示许可、处罚 {published:,} 条，{working_days} 个工作日内公示 {on_time:,} 条；"
                "尚未公示 {unpublished:,} 条")
NOTE_ON_TIME_EMPTY = "{year} 年无已公示的行政许可、行政处罚记录"
NOTE_BELOW = "{year} 年度报送考核得分低于 {threshold:g} 分：{names}"
NOTE_BELOW_NONE = "{year} 年度各委办局报送考核得分均不低于 {threshold:g} 分"
NOTE_OBJECTIONS = "最早一件已等待 {days} 天（{bureau}）"
NOTE_OBJECTIONS_NONE = "目前没有待处理异议"
NOTE_HONOURS = "{year} 年，另开展诚信活动 {activities:,} 场（按街乡统计，不区分主体类型）"
NO_RATE = "—"

CHART_RECORDS_TREND = "信用记录月度趋势（{year} 年与上年对比）"
CHART_SUBJECTS = "在册信用主体构成（截至 {day}）"
CHART_LISTS = "红黑名单在列数（截至 {day}，标注为年内净变化）"
CHART_ON_TIME = "各委办局双公示按时率（{year} 年；红色为低于全区水平）"
CHART_GRADES = "公共信用综合评价等级分布（{model}）"
CHART_GRADES_EMPTY_TITLE = "公共信用综合评价等级分布"
GRADES_EMPTY = "尚未训练评价模型：训练并启用模型后，此处显示 A 至 D 九级分布（点击前往模型管理）"
CHART_OBJECTIONS = "待处理异议（按核查单位）"
OBJECTIONS_EMPTY = "目前没有待处理异议"
MODEL_LABEL = "模型 #{id}，评价基准日 {as_of}"
DISTRICT_RATE_LABEL = "全区 {rate:.1%}"
MONTH_AXIS = "月份"
SERIES_YEAR = "{year} 年"
NET_CHANGE = "净变化 {net:+,}"

LINK_ASSESSMENT = "查看委办局报送考核 →"
LINK_HOME = "查看主体分布 →"
LINK_LISTS = "查看红黑名单 →"
LINK_GRADES = "查看信用评价结果 →"
LINK_OBJECTIONS = "查看异议处理 →"

RISKS_TABLE = "重点风险（所选年度新列入黑名单、严重行政处罚）"
HONOURS_TABLE = "守信激励（所选年度新列入红名单）"
RISK_BLACK = "黑名单：{list_type}"
RISK_PENALTY = "严重行政处罚"
DETAIL_PENALTY = "罚没 {amount:,.2f} 万元 · {document}"
DETAIL_PENALTY_NO_AMOUNT = "{document}"
IN_FORCE = "在列"
NOT_IN_FORCE = "已移出或到期"
EXPORT_RISKS = "重点风险"
EXPORT_HONOURS = "守信激励"
EXPORT_NOTE_PERIOD = "统计年度：{year} 年；主体类型：{subject_type}；导出日期：{day}"
EXPORT_NOTE_MASK = "自然人姓名已按规定脱敏"

COLUMNS: dict[str, str] = {
    "date": "日期",
    "category": "类别",
    "subject_name": "主体名称",
    "kind_name": "主体类型",
    "town": "所属街乡",
    "bureau": "认定/处罚单位",
    "detail": "说明",
    "status": "状态",
}
