"""Chinese UI strings of the 委办局报送考核 page."""

from __future__ import annotations

TITLE = "委办局报送考核"
SUBTITLE = "双公示按时率、定期报送及时性、完整性、准确性与覆盖面 · 按考核期间评分排名"
SUBTITLE_BUREAU = "本单位的报送情况、考核得分与报送文件校验结果"

# filter bar
PERIOD_KIND = "考核周期"
PERIOD_KINDS = {"month": "月度", "quarter": "季度", "year": "年度"}
PERIOD = "考核期间"
LATEST_PERIOD = "最近一期"
BUREAU_KIND = "委办局类型"
CATALOG = "目录"
ALL = "全部"
SCOPE_NOTE_BUREAU = "仅显示本单位数据"

# KPIs
KPI_ON_TIME = "全区双公示按时率"
KPI_ON_TIME_BUREAU = "本单位双公示按时率"
KPI_LATE = "逾期公示记录"
KPI_REJECTED = "被拒绝的报送行"
KPI_BELOW = "低于达标线的委办局"
KPI_SCORE_BUREAU = "本单位考核得分"
KPI_ON_TIME_NOTE = "已公示 {published:,} 条（7 个工作日内）"
KPI_LATE_NOTE = "超过 7 个工作日公示"
KPI_REJECTED_NOTE = "错误率 {rate}，重复 {duplicates:,} 行"
KPI_BELOW_NOTE = "达标线 {threshold:g} 分，参评 {assessed} 个单位"
KPI_SCORE_NOTE = "第 {rank} 名 / 共 {assessed} 个单位，达标线 {threshold:g} 分"
NOT_APPLICABLE = "不适用"

# figures
FIG_SCORES = "考核得分排名（{period}）"
FIG_HEATMAP = "双公示按时率（委办局 × 月份）"
FIG_TREND = "报送质量趋势（近 12 个月）"
FIG_MEASURES = "{bureau}：各项指标得分（{period}）"
UNIT_SCORE = "分"
THRESHOLD = "达标线 {threshold:g} 分"
HEAT_COLOR = "按时率（%）"
HEAT_HOVER = "{bureau} {month}：按时率 {rate}（已公示 {published} 条，逾期 {late} 条）"
TREND_PANELS = {"on_time": "双公示按时率", "timeliness": "定期报送及时率", "completeness": "必填项完整率",
                "error_rate": "错误率"}

# weighting card
WEIGHTS_TITLE = "考核权重与口径"
WEIGHTS_NOTE = "综合得分 = 各指标得分（0-100）按权重加权平均；某指标不适用时，其权重按比例分给其余指标。"
WEIGHTS_THRESHOLD = ("达标线：{threshold:g} 分；异议办结时限：{days} 个工作日；"
                     "双公示时限：决定之日起 7 个工作日（法定节假日与调休按国务院安排）。")
WEIGHT_COLUMNS = {"measure": "指标", "weight": "权重", "definition": "口径"}
SETTINGS_OPEN = "调整权重与达标线"
SETTINGS_THRESHOLD = "达标线（分）"
SETTINGS_DAYS = "异议办结时限（工作日）"
SETTINGS_SAVE = "保存"
SETTINGS_SAVED = "已保存，考核得分已按新权重重新计算。"
SETTINGS_INVALID = "未保存：{message}"

# assessment table
TABLE_TITLE = "考核明细（每个委办局一行）"
COLUMNS = {
    "rank": "排名",
    "bureau": "委办局",
    "bureau_kind": "类型",
    "score": "综合得分",
    "on_time": "双公示按时率",
    "published": "已公示记录",
    "late": "逾期公示",
    "timeliness": "定期报送及时率",
    "days_late": "平均逾期（工作日）",
    "completeness": "必填项完整率",
    "error_rate": "错误率",
    "duplicate_rate": "重复率",
    "objections": "异议按期办结率",
    "turnaround_days": "异议平均办结（工作日）",
    "coverage": "目录覆盖率",
    "rows_total": "报送行数",
    "rows_rejected": "被拒绝行",
    "below": "是否达标",
}
PASS, FAIL = "达标", "未达标"

# export
EXPORT_TITLE = "通州区委办局信用信息报送考核表"
EXPORT_SHEET = "考核表"
EXPORT_WEIGHTS_SHEET = "考核权重"
EXPORT_NOTES = (
    "考核期间：{label}（{start} 至 {end}）",
    "考核范围：{scope}",
    "权重：{weights}",
    "达标线：{threshold:g} 分；低于达标线的单位 {below} 个，参评单位 {assessed} 个",
    "制表单位：通州区经济和信息化委员会　制表日期：{today}",
)
EXPORT_PERCENT = "（%）"

# drill-down
DRILL_TITLE = "单位明细：逾期公示与被拒绝的报送行"
DRILL_BUREAU = "委办局"
LATE_TITLE = "逾期公示记录（决定之日起超过 7 个工作日公示）"
REJECTED_TITLE = "被拒绝的报送行（文件行号、出错字段与原因）"
LATE_COLUMNS = {
    "document_no": "决定文书号",
    "record_type": "信息类别",
    "subject_name": "行政相对人",
    "subject_code": "统一社会信用代码/证件号码",
    "kind_name": "主体类型",
    "decision_date": "决定日期",
    "publication_date": "公示日期",
    "publish_delay_wd": "公示用时（工作日）",
    "severity_name": "严重程度",
}
REJECTED_COLUMNS = {
    "submission_id": "提交批次",
    "received_at": "接收时间",
    "file_name": "文件名",
    "period": "报送期间",
    "record_type": "信息类别",
    "row_number": "文件行号",
    "field": "出错字段",
    "reason": "原因",
}

# upload
UPLOAD_TITLE = "报送文件上传"
UPLOAD_BUREAU = "报送单位"
UPLOAD_KIND = "信息类别"
UPLOAD_KIND_AUTO = "按表头自动识别"
UPLOAD_PROMPT = "将 CSV 或 XLSX 文件拖到此处，或 点击选择文件"
UPLOAD_HINT = ("支持 UTF-8、GBK/GB18030 编码的 CSV 和 XLSX；双公示新旧两代表头（XK_*/CF_* 字段代码、中文表头）均可。"
               "合格的行入库，不合格的行列入错误报告；同一文件重复上传不会重复入库。单个文件不超过 40 MB。")
UPLOAD_RUNNING = "正在读取、校验并入库…"
UPLOAD_STAGE = "{stage}：{done:,} / {total:,}"
UPLOAD_NEED_BUREAU = "请先选择报送单位。"
UPLOAD_DONE = ("已入库：提交批次 #{id}（{record_type} · {period}）：共 {total:,} 行，"
               "接受 {accepted:,}，拒绝 {rejected:,}，重复 {duplicates:,}。")
UPLOAD_REPEAT = "该文件此前已报送（提交批次 #{id}），本次未做任何更改。"
UPLOAD_FAILED = "报送失败，未写入任何数据：{message}"
UPLOAD_LATE = "应报送截止 {due}，本次接收 {received}：{state}。"
UPLOAD_ON_TIME, UPLOAD_OVERDUE = "按时", "逾期"
UPLOAD_REPORT = "下载错误报告"
TEMPLATE_CURRENT = "下载模板（字段代码）"
TEMPLATE_2015 = "下载模板（2015 版中文表头）"
SUBMISSIONS_TITLE = "报送记录（选中一行可下载其错误报告）"
SUBMISSION_REPORT = "下载选中批次的错误报告"
SUBMISSION_COLUMNS = {
    "id": "提交批次",
    "received_at": "接收时间",
    "record_type": "信息类别",
    "period": "报送期间",
    "file_name": "文件名",
    "rows_total": "行数",
    "rows_accepted": "接受",
    "rows_rejected": "拒绝",
    "rows_duplicate": "重复",
    "due_at": "截止日期",
    "late_name": "是否按时",
}
REPORT_TITLE = "{bureau}报送错误报告（提交批次 #{id}）"
REPORT_NOTES = ("信息类别：{record_type}；报送期间：{period}；文件：{file}",
                "共 {total} 行，接受 {accepted}，拒绝 {rejected}，重复 {duplicates}；接收时间 {received}",
                "文件行号按原文件计（表头所在行为表头，其后依次编号）；修正后可只重新报送出错的行")
