"""Chinese UI strings of the 红黑名单 page (lists, publicity, objections, credit repair, 积分落户)."""

from __future__ import annotations

TITLE = "红黑名单"
SUBTITLE = "守信激励与失信惩戒名单、公示期、异议处理、信用修复与积分落户扣分"

# filter bar
AS_OF = "统计日期"
COLOR = "红/黑名单"
LIST_TYPE = "名单类型"
ISSUER = "认定单位"
TOWN = "街道乡镇"
INDUSTRY = "行业"
ALL = "全部"
SCOPE_NOTE_BUREAU = "仅显示本单位认定的名单"

# tabs
TAB_OVERVIEW = "名单统计"
TAB_ENTRIES = "名单明细"
TAB_CASES = "典型案例"
TAB_ACTIONS = "异议与信用修复"
TAB_POINTS = "积分落户"

# KPIs
KPI_BLACK = "黑名单在列"
KPI_RED = "红名单在列"
KPI_WARNING = "警示名单在列"
KPI_NEW = "本月新列入"
KPI_EXITS = "本月移出与期满"
KPI_EXPIRING = "30 天内到期"
KPI_AS_OF = "截至 {day}"
KPI_MONTH = "{month} 月"
KPI_EXITS_NOTE = "提前移出 {removed:,} · 期满 {expired:,}"
KPI_EXPIRING_NOTE = "{first} 至 {last}"

# figures
FIG_BY_TYPE = "在列主体（按名单类型）"
FIG_TREND = "在列主体变化（每月末）"
FIG_FLOWS = "每月新列入与退出（上：新列入；下：提前移出与期满）"
FIG_BY_ISSUER = "在列主体（按认定单位）"
FIG_BY_TOWN = "在列主体（按街道乡镇）"
FIG_BY_INDUSTRY = "在列主体（按行业）"
UNIT_SUBJECTS = "个"
UNIT_ENTRIES = "条"
FLOW_LISTED = "新列入"
FLOW_EXITED = "退出"
MONTH = "月份"

# expiring
EXPIRING_TITLE = "即将到期的名单条目"
EXPIRING_WITHIN = "到期范围"
EXPIRING_DAYS = {30: "30 天内", 90: "90 天内", 180: "180 天内"}

# entries grid
ENTRIES_TITLE = "名单条目明细"
SEARCH = "搜索"
SEARCH_PLACEHOLDER = "主体名称、统一社会信用代码、文书号或列入事由（回车搜索）"
RANGE = "显示范围"
RANGE_PUBLIC = "统计日在列"
RANGE_ALL = "全部条目（含已期满、已移出，供审计追溯）"
ENTRIES_NOTE = "到期的条目自到期日次日起、提前移出的条目自移出之日起不再公开显示；自然人身份信息按角色脱敏。"

COLUMNS: dict[str, str] = {
    "entry_id": "条目编号",
    "name": "主体名称",
    "code": "统一社会信用代码/身份证号",
    "kind_name": "主体类型",
    "list_type": "名单类型",
    "color_name": "红/黑名单",
    "issuer": "认定单位",
    "listed_on": "列入日期",
    "expires_on": "到期日期",
    "removed_on": "移出日期",
    "days_left": "剩余天数",
    "reason": "列入事由",
    "removal_reason": "移出原因",
    "document_no": "决定文书号",
    "severity_name": "严重程度",
    "entry_status_name": "状态",
    "town_name": "街道乡镇",
    "industry_name": "行业",
    "record_id": "信用记录编号",
}

# typical cases
CASES_BLACK = "严重失信典型案例（近一年列入黑名单）"
CASES_RED = "守信激励典型（近一年获得荣誉）"
CASES_NONE = "近一年暂无符合条件的案例"
CASES_LISTED = "列入日期"
CASES_ISSUER = "认定单位"
CASES_AMOUNT = "涉及金额"
CASES_SEVERITY = "严重程度"
CASES_PROFILE = "查看信用档案"

# objections and repair
ACTIONS_HELP = ("异议：对公示中的信用记录提出异议后，记录标注“异议处理中”，由认定单位核查后更正、维持或撤销。"
                "信用修复：最短公示期已满、失信行为已纠正、法定义务已履行、已签署信用承诺书的，由认定单位决定"
                "准予修复，修复后记录自决定日起停止公示（谁认定、谁修复）。")
OPEN_OBJECTIONS = "待办结的异议"
OPEN_OBJECTION_COLUMNS = {
    "objection_id": "异议编号", "record_id": "信用记录编号", "document_no": "决定文书号", "name": "主体名称",
    "bureau": "认定单位", "filed_on": "异议日期", "days_open": "已处理天数", "reason": "异议理由",
}
RECORD_KEY = "信用记录编号或决定文书号"
RECORD_KEY_PLACEHOLDER = "例如 12345 或 京通市监罚〔2025〕1号"
LOOKUP = "查询"
RECORD_NOT_FOUND = "未找到该信用记录（或不属于本单位认定的记录）"
RECORD_DETAILS = "信用记录"
RECORD_FIELDS = {
    "record_id": "记录编号", "document_no": "决定文书号", "name": "主体名称", "code": "统一社会信用代码/身份证号",
    "record_type": "信息类别", "bureau": "认定单位", "decision_date": "决定日期", "publication_date": "公示日期",
    "severity_name": "严重程度", "status_name": "状态", "publicity_end": "公示截止日期", "regime": "适用规定",
    "earliest_repair": "最早可修复日期", "amount": "金额（万元）", "content": "内容",
}
PUBLIC_YES = "公示中"
PUBLIC_NO = "不在公示期"
SPECIAL_SECTOR = "特种设备、安全生产、消防领域（旧规定下最短公示 1 年）"
LINKED_ENTRIES = "依据本记录列入的名单"
HISTORY = "变更记录"
HISTORY_COLUMNS = {"changed_at": "时间", "entity": "对象", "entity_id": "编号", "action": "操作",
                   "changed_by": "操作人", "change": "变更内容"}
ENTITY_NAMES = {"record": "信用记录", "objection": "异议", "repair": "信用修复", "list_entry": "名单条目",
                "setting": "设置"}
ACTION_NAMES = {
    "objection_filed": "提出异议", "objection_corrected": "异议核查：更正", "objection_confirmed": "异议核查：维持",
    "objection_removed": "异议核查：撤销", "repair_granted": "准予信用修复", "repair_refused": "不予信用修复",
    "entry_removed": "名单提前移出", "points_rule_set": "修改积分落户扣分口径",
}
FIELD_NAMES = {
    "status": "状态", "severity": "严重程度", "content": "内容", "amount": "金额（万元）",
    "publicity_end": "公示截止日期", "removed_on": "移出日期", "removal_reason": "移出原因", "expires_on": "到期日期",
    "outcome": "结果", "resolved_on": "办结日期", "note": "核查说明", "record_id": "信用记录编号",
    "filed_on": "异议日期", "reason": "理由", "applied_on": "申请日期", "decided_on": "决定日期",
    "conduct_corrected": "失信行为已纠正", "obligations_met": "法定义务已履行", "commitment_signed": "已签署信用承诺书",
    "rule": "口径",
}
YES, NO = "是", "否"

OBJECTION_FORM = "登记异议"
OBJECTION_DATE = "异议日期"
OBJECTION_REASON = "异议理由"
OBJECTION_SUBMIT = "登记异议"
OBJECTION_DONE = "已登记异议 {objection_id}，信用记录 {record_id} 标注为“异议处理中”。"

OUTCOME_FORM = "异议核查结果（认定单位）"
OUTCOME_OBJECTION = "异议编号"
OUTCOME = "核查结果"
OUTCOME_DATE = "办结日期"
OUTCOME_NOTE = "核查说明"
OUTCOME_SEVERITY = "更正后严重程度（可选）"
UNCHANGED = "不变"
OUTCOME_CONTENT = "更正后内容（可选）"
OUTCOME_AMOUNT = "更正后金额（万元，可选）"
OUTCOME_SUBMIT = "提交核查结果"
OUTCOME_DONE = "异议 {objection_id} 已办结：{outcome}。"
NO_OPEN_OBJECTION = "该记录没有待办结的异议"

REPAIR_FORM = "信用修复（认定单位）"
REPAIR_APPLIED = "申请日期"
REPAIR_DECIDED = "决定日期"
REPAIR_CONDITIONS = "修复条件"
REPAIR_CONDUCT = "失信行为已纠正"
REPAIR_OBLIGATIONS = "法定责任和义务已履行"
REPAIR_COMMITMENT = "已签署信用承诺书"
REPAIR_DECISION = "决定"
REPAIR_GRANT = "准予修复"
REPAIR_REFUSE = "不予修复"
REPAIR_REASON = "决定理由（不予修复时必填）"
REPAIR_SUBMIT = "提交修复决定"
REPAIR_DONE_GRANTED = "信用记录 {record_id} 已修复，自 {day} 起停止公示{entries}。"
REPAIR_DONE_REFUSED = "已登记不予修复决定（修复申请 {repair_id}）。"
REPAIR_ENTRIES = "，并移出 {count} 个名单条目"

REMOVAL_FORM = "名单提前移出（认定单位）"
REMOVAL_ENTRY = "名单条目编号"
REMOVAL_DATE = "移出日期"
REMOVAL_REASON = "移出原因"
REMOVAL_SUBMIT = "提前移出"
REMOVAL_DONE = "名单条目 {entry_id} 已于 {day} 移出。"
ENTRY_NOT_FOUND = "未找到该名单条目（或不属于本单位认定的名单）"
ENTRY_PICK_HINT = "在“名单明细”中点击条目可带入条目编号和信用记录编号。"
NEED_RECORD = "请先查询一条信用记录"

# 积分落户
POINTS_TITLE = "积分落户不良信用记录扣分查询"
POINTS_RULE = "当前扣分口径"
POINTS_RULE_CHANGE = "修改扣分口径"
POINTS_RULE_SAVE = "保存口径"
POINTS_RULE_SAVED = "扣分口径已改为：{name}"
POINTS_PERSON = "申请人（身份证号或姓名）"
POINTS_PERSON_PLACEHOLDER = "输入完整身份证号或姓名（回车查询）"
POINTS_MATCHES = "匹配的人员"
POINTS_PICK = "先查询，再选择人员"
POINTS_NO_MATCH = "未找到匹配的自然人"
POINTS_AS_OF = "查询日期"
POINTS_DEDUCTION = "应扣分值"
POINTS_RECORD_COUNT = "计分记录 {count} 条 × {points} 分"
POINTS_NONE = "查询日无计分的不良信用记录"
POINTS_COLUMNS = {
    "relation": "关系", "subject_name": "主体", "item": "信息类别/名单", "bureau": "认定单位",
    "document_no": "决定文书号", "item_date": "决定（列入）日期", "content": "内容", "points": "扣分",
}
POINTS_RELATIONS = {"own": "本人", "business": "本人任法定代表人（负责人）的企业/个体户",
                    "business_list": "本人任法定代表人（负责人）的企业/个体户（名单）"}

EXPORT_NOTE_MASKED = "自然人身份证号与姓名已脱敏"
EXPORT_LIMIT_NOTE = "导出上限 {limit:,} 条，共 {total:,} 条符合条件"
