"""Chinese strings of the credit evaluation pages: 信用评价模型, 主体信用画像, 评分主体."""

from __future__ import annotations

ALL = "全部"
UNIT_SUBJECTS = "个"
UNIT_POINTS = "分"
UNIT_RECORDS = "条"

GRADE_CLASS_NAMES = {"A": "A 类（优）", "B": "B 类（良）", "C": "C 类（中）", "D": "D 类（差）"}
ALGORITHMS = {"scorecard": "评分卡（WoE 逻辑回归）", "hist_gradient_boosting": "梯度提升树（挑战者）"}
ALGORITHMS_SHORT = {"scorecard": "评分卡", "hist_gradient_boosting": "梯度提升树"}
SEGMENT_NAMES = {"person": "自然人", "legal": "法人及其他组织"}
NO_MODEL = "尚未训练信用评价模型。具有训练权限的用户可点击“训练新模型”；也可在服务器上运行 flask --app app train。"
NO_SCORES = "该模型版本尚未评分。"

# ---- 信用评价模型 ------------------------------------------------------------------------------------------------
MODEL_TITLE = "信用评价模型"
MODEL_SUBTITLE = "公共信用综合评价：评分卡（冠军）与梯度提升树（挑战者）跨时间检验、分数表、等级划分与版本管理"
VERSION = "模型版本"
SHOWN_VERSION = "在用版本"
IN_SERVICE = "（在用）"
TRAIN = "训练新模型"
TRAIN_HINT = "训练在后台运行（约数分钟），期间可继续使用本页；完成后新模型自动投入使用并为全部主体重新评分。"
TRAIN_STARTED = "已开始训练（任务 {job}）。"
TRAIN_REFUSED = "您的角色无权训练模型"
JOB_RUNNING = "训练中：{message}（{progress:.0%}）"
JOB_DONE = "最近一次训练（任务 {job}）已于 {finished} 完成，生成模型版本 {version}。"
JOB_FAILED = "最近一次训练（任务 {job}）失败：{message}。在用模型未变。"
JOB_STALE = "训练进程未在预期时间内完成（可能已中断）"
KPI_CHAMPION = "冠军模型"
KPI_AUC = "跨时间检验 AUC"
KPI_ORACLE = "理论最优 AUC"
KPI_KS = "KS 值"
KPI_BRIER = "Brier 分数"
KPI_PSI = "群体稳定性 PSI"
AUC_NOTE = "检验日 {as_of}，训练日 {train_as_of}"
ORACLE_NOTE = "差距 {gap:.3f}（目标 ≤ 0.02）"
ORACLE_NONE = "无生成器真实概率文件"
KS_NOTE = "Gini {gini:.3f}"
BRIER_NOTE = "检验期实际发生率 {rate:.2%}"
PSI_NOTE = "训练日对比评分日 {scored}：{level}"
PSI_LEVELS = ((0.1, "稳定"), (0.25, "轻微偏移"), (float("inf"), "显著偏移，建议重新训练"))
COMPARE_TITLE = "冠军与挑战者（跨时间检验）"
COMPARE_RULE = "冠军规则"
METRIC_NAMES = {
    "auc": "AUC", "gini": "Gini", "ks": "KS", "brier": "Brier 分数", "mean_predicted": "平均预测概率",
    "observed_rate": "实际发生率", "train_auc": "训练期 AUC", "auc_person": "AUC（自然人）", "auc_legal": "AUC（法人）",
}
MODEL_COLUMNS = {"scorecard": "评分卡", "challenger": "梯度提升树", "baseline": "朴素基准", "oracle": "理论最优"}
TARGET = "评价目标"
CALIBRATION_TITLE = "校准曲线（检验期，按预测概率十等分）"
CALIBRATION_PREDICTED = "平均预测概率"
CALIBRATION_OBSERVED = "实际发生率"
CALIBRATION_DIAGONAL = "完全校准"
HISTOGRAM_TITLE = "分数分布：训练日与评分日"
HISTOGRAM_TRAIN = "训练日（{date}）"
HISTOGRAM_CURRENT = "评分日（{date}）"
SHARE = "占比"
GRADES_TITLE = "信用等级分布（评分日，四等九级）"
KIND_GRADES_TITLE = "各类主体的等级构成"
TOWN_SCORE_TITLE = "各街道乡镇平均分"
POINTS_TITLE = "评分卡分数表"
POINTS_SEGMENT = "主体类别"
POINTS_NOTE = ("分数 = 各变量所在分箱分数之和；基准分 {base:g} 分对应守信:失信 = {odds:g}:1，"
               "每增加 {pdo:g} 分该比值翻倍。")
FEATURES_TITLE = "变量与信息值（IV）"
BANDS_TITLE = "等级划分（分数线可由系统设置 model.grade_cutoffs 调整）"
HISTORY_TITLE = "模型版本历史"
POINTS_COLUMNS = {"label": "变量", "bin": "分箱", "count": "训练样本数", "bads": "事件数", "bad_rate": "事件率",
                  "woe": "WoE", "points": "分数"}
FEATURE_COLUMNS = {"label": "变量", "iv": "信息值 IV", "selected": "入模", "coefficient": "系数",
                   "dropped": "未入模原因"}
BAND_COLUMNS = {"grade": "等级", "class": "类别", "min_score": "最低分", "max_score": "最高分（不含）",
                "min_probability": "违约概率下限", "max_probability": "违约概率上限"}
HISTORY_COLUMNS = {"id": "版本", "created_at": "训练时间", "as_of": "检验日", "algorithm": "冠军算法",
                   "in_service": "在用", "auc": "AUC", "oracle_auc": "理论最优 AUC", "psi": "PSI",
                   "scored": "已评分主体", "created_by": "训练人"}
YES, NO = "是", "否"

# ---- 评分主体 ----------------------------------------------------------------------------------------------------
SCORED_TITLE = "评分主体"
SCORED_SUBTITLE = "全部已评分信用主体：按等级、主体类型、街道乡镇和行业筛选；模型版本之间的等级迁移"
GRADE = "信用等级"
KIND = "主体类型"
TOWN = "街道乡镇"
INDUSTRY = "行业"
COMPARE_VERSION = "对比版本（等级迁移）"
KPI_SCORED = "评分主体"
KPI_MEAN = "平均分"
KPI_A = "A 类（优）占比"
KPI_CD = "C、D 类占比"
SCORED_NOTE = "模型版本 {version}，评分日 {as_of}"
SCORED_GRADES_TITLE = "等级分布"
SCORED_KIND_TITLE = "各类主体的等级构成"
SCORED_TOWN_TITLE = "各街道乡镇平均分（筛选范围内）"
SCORED_INDUSTRY_TITLE = "各行业平均分（筛选范围内）"
SCORED_TABLE = "评分主体明细"
MIGRATION_TITLE = "等级迁移：版本 {old} → 版本 {new}（主体数）"
MIGRATION_NONE = "选择一个更早的已评分版本以查看等级迁移"
MIGRATION_FROM = "原等级（版本 {old}）"
MIGRATION_TO = "新等级（版本 {new}）"
SCORED_COLUMNS = {"name": "名称", "code": "代码/证件号码", "kind_name": "主体类型", "town_name": "街道乡镇",
                  "industry_name": "行业", "score": "信用分", "grade": "等级", "probability": "违约概率",
                  "top_reason": "主要扣分原因"}

# ---- 主体信用画像 ------------------------------------------------------------------------------------------------
PROFILE_TITLE = "主体信用画像"
PROFILE_SUBTITLE = ("按名称或统一社会信用代码/身份证号查询主体：信用分、等级、扣分原因、信用记录、名单、异议与"
                    "积分落户扣分")
SEARCH = "名称或代码"
SEARCH_PLACEHOLDER = "输入主体名称（至少 2 个字）或完整/部分代码"
SEARCH_BUTTON = "查询"
SEARCH_TOO_SHORT = "请输入至少 2 个字符"
SEARCH_NONE = "未找到匹配的主体"
SEARCH_RESULTS = "找到 {n} 个主体（最多显示 {limit} 个）："
PROFILE_EMPTY = "请在上方查询主体，或从其他页面点击主体名称进入。"
PROFILE_NOT_FOUND = "主体 {id} 不存在"
UNMASK = "显示完整证件号码"
UNMASK_REFUSED = "您的角色无权查看完整的个人信息"
UNMASKED = "已显示完整信息（本次查看已记入审计日志）"
FIELD_CODE = "代码/证件号码"
FIELD_KIND = "主体类型"
FIELD_TOWN = "街道乡镇"
FIELD_INDUSTRY = "行业"
FIELD_REGISTERED = "成立日期"
FIELD_BORN = "出生日期"
FIELD_DEREGISTERED = "注销日期"
FIELD_REP = "法定代表人/负责人"
FIELD_REPRESENTS = "担任法定代表人的主体"
SCORE_TITLE = "信用评价"
SCORE_LABEL = "信用分"
PROBABILITY_LABEL = "12 个月内严重失信概率"
SCORE_NOTE = "模型版本 {version}，评分日 {as_of}"
REASONS_TITLE = "主要扣分原因"
REASONS_NONE = "无明显扣分项"
REASON_POINTS = "扣 {points:.1f} 分"
SCORE_HISTORY = "历次评分"
NOT_SCORED = "该主体尚未评分（可能在评分日后登记或已注销）。"
TIMELINE_TITLE = "信用记录时间轴"
TIMELINE_LIST = "名单：{name}"
RECORDS_TITLE = "信用记录"
LISTS_TITLE = "红黑名单"
OBJECTIONS_TITLE = "异议"
POINTS_CARD_TITLE = "积分落户扣分"
POINTS_RULE = "适用口径：{rule}"
POINTS_DEDUCTION = "扣 {points} 分"
POINTS_NONE = "无扣分记录"
POINTS_NOT_PERSON = "积分落户扣分只适用于自然人。"
PUBLIC_NOW = "公示中"
NOT_PUBLIC = "不公示"
RECORD_COLUMNS = {"decision_date": "决定日期", "record_type": "信息类别", "bureau": "报送单位", "severity": "严重程度",
                  "content": "内容", "amount": "金额（万元）", "publicity_end": "公示截止", "status": "状态",
                  "public": "当前公示", "document_no": "文书号"}
LIST_COLUMNS = {"list_type": "名单", "color_name": "红/黑", "issuer": "认定单位", "listed_on": "列入日期",
                "expires_on": "到期日期", "removed_on": "移出日期", "reason": "列入原因"}
OBJECTION_COLUMNS = {"filed_on": "提出日期", "record": "异议记录", "bureau": "核查单位", "reason": "异议理由",
                     "resolved_on": "办结日期", "outcome": "结果"}
OUTCOMES = {"corrected": "更正", "confirmed": "维持", "removed": "撤销"}
POINTS_COLUMNS_TABLE = {"item_date": "日期", "item": "事项", "subject_name": "所涉主体", "bureau": "认定单位",
                        "points": "扣分"}
