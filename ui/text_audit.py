"""Chinese strings of the audit-log page."""

TITLE = "审计日志"
SUBTITLE = "登录、查看主体、搜索、解除脱敏、导出、报送、异议、修复与模型训练的全部记录（哈希链防篡改）"
ACTION = "操作类型"
USERNAME = "用户名"
PERIOD = "日期范围"
SEARCH = "对象或详情包含"
VERIFY = "校验哈希链"
VERIFY_OK = "审计日志完好：共 {entries:,} 条记录，哈希链校验通过。"
VERIFY_BAD = "审计日志异常：第一条异常记录 id={first_bad_id}（{reason}）。"
TABLE = "审计记录"
COLUMNS = {
    "id": "序号", "at": "时间", "username": "用户名", "role": "角色", "action": "操作", "target": "对象",
    "detail": "详情", "ip": "来源地址",
}
ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出", "subject_view": "查看主体", "search": "搜索",
    "unmask": "解除脱敏", "export": "导出", "ingest": "数据报送", "objection": "异议", "repair": "信用修复",
    "train": "模型训练", "user_created": "新建用户", "demo_created": "生成演示库", "score": "模型评分",
    "objection_filed": "登记异议", "objection_resolved": "异议处理结果", "repair_decided": "信用修复决定",
    "list_entry_removed": "名单提前移出", "points_lookup": "积分落户查询", "points_rule_set": "积分规则设置",
    "settings": "参数设置",
}
