"""The Chinese UI strings, in one place."""

from __future__ import annotations

APP_TITLE = "信用通州"
APP_SUBTITLE = "通州区公共信用信息平台 · 信用分析看板"
UNAUTHORISED = "未登录或登录已超时，请先登录"
FORBIDDEN = "您的角色无权访问该内容"
LOGOUT = "退出登录"
NO_DATA = "暂无数据"
DB_UNAVAILABLE = "数据库暂时无法连接，请稍后重试（页面会自动恢复）"
EXPORT_EXCEL = "导出 Excel"
ALL = "全部"
DISTRICT = "全区"

# units
UNIT_COUNT = "个"
UNIT_RECORDS = "条"
UNIT_WAN_YUAN = "万元"
UNIT_PERCENT = "%"

HOME_TITLE = "首页概览"
HOME_SUBJECTS_BY_KIND = "信用主体数量（按主体类型）"
HOME_SUBJECTS_BY_TOWN = "信用主体数量（按街道乡镇）"
HOME_RECORDS_BY_CATEGORY = "信用记录数量（按信息类别）"
HOME_RECORDS_BY_BUREAU = "信用记录数量（按报送单位）"
HOME_LIST_TABLE = "红黑名单在列主体（按名单类型）"
HOME_YEAR = "统计年度"
HOME_KPI_SUBJECTS = "信用主体"
HOME_KPI_RECORDS = "信用记录"
HOME_KPI_BLACK = "黑名单在列"
HOME_KPI_RED = "红名单在列"

COLUMN_NAMES: dict[str, str] = {
    "list_type": "名单类型",
    "color": "红/黑名单",
    "issuer": "认定单位",
    "active": "当前在列",
    "listed_total": "累计列入",
    "removed": "已移出",
    "expired": "已到期",
}
