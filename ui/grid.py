"""dash-ag-grid tables with the app's defaults: sortable, filterable, paged, Chinese texts."""

from __future__ import annotations

import json
from typing import Any

import dash_ag_grid as dag
from dash import no_update

LOCALE_ZH = {
    "page": "页", "more": "更多", "to": "至", "of": "共", "next": "下一页", "last": "末页", "first": "首页",
    "previous": "上一页", "loadingOoo": "加载中…", "noRowsToShow": "暂无数据", "filterOoo": "筛选…",
    "equals": "等于", "notEqual": "不等于", "contains": "包含", "notContains": "不包含", "startsWith": "开头是",
    "endsWith": "结尾是", "lessThan": "小于", "greaterThan": "大于", "inRange": "介于", "blank": "为空",
    "notBlank": "不为空", "andCondition": "并且", "orCondition": "或者", "applyFilter": "应用",
    "resetFilter": "重置", "clearFilter": "清除", "pageSizeSelectorLabel": "每页条数：",
    "ariaPageSizeSelectorLabel": "每页条数", "lessThanOrEqual": "小于等于", "greaterThanOrEqual": "大于等于",
    "before": "早于", "after": "晚于", "selectAll": "全选", "searchOoo": "搜索…",
}


def column(field: str, header: str, *, kind: str = "text", width: int | None = None, **extra: Any) -> dict:
    spec: dict[str, Any] = {"field": field, "headerName": header}
    if kind == "number":
        spec.update(filter="agNumberColumnFilter", type="rightAligned",
                    valueFormatter={"function": "params.value == null ? '' : d3.format(',')(params.value)"})
    elif kind == "decimal":
        spec.update(filter="agNumberColumnFilter", type="rightAligned",
                    valueFormatter={"function": "params.value == null ? '' : d3.format(',.2f')(params.value)"})
    elif kind == "percent":
        spec.update(filter="agNumberColumnFilter", type="rightAligned",
                    valueFormatter={"function": "params.value == null ? '' : d3.format('.1%')(params.value)"})
    elif kind == "date":
        spec.update(filter="agDateColumnFilter")
    else:
        spec.update(filter="agTextColumnFilter")
    if width:
        spec["width"] = width
    spec.update(extra)
    return spec


# A hidden column of server-side grids: a callback changes its filter when the page's own filters change, so the grid
# drops its cached blocks and asks the server again (the column is never shown, the server ignores its value).
REFRESH_COLUMN = {"field": "refresh", "hide": True, "filter": "agTextColumnFilter", "suppressColumnsToolPanel": True}


def refresh_filter(current: dict | None, requested: dict | None, *inputs: Any) -> Any:
    """The grid's filterModel with the hidden refresh column's filter set from the page's filter values; no_update
    while the grid has asked for no block yet (its first request reads the filters as they are then; setting a
    filter model before the grid is ready would make it fetch its first block twice)."""
    if requested is None:
        return no_update
    token = json.dumps(inputs, ensure_ascii=False, default=str)
    return {**(current or {}), "refresh": {"filterType": "text", "type": "equals", "filter": token}}


def block_request(raw: dict | None, size: int = 50) -> dict:
    """An infinite grid's getRowsRequest (its first block when it has sent none yet), without the hidden refresh
    column's filter."""
    request = dict(raw or {"startRow": 0, "endRow": size})
    request["filterModel"] = {k: v for k, v in (request.get("filterModel") or {}).items() if k != "refresh"}
    return request


def data_grid(grid_id: str, columns: list[dict], *, page_size: int = 20, height: int = 460,
              server_side: bool = False, **extra: Any) -> dag.AgGrid:
    """A grid with sorting, filtering and paging. server_side uses the infinite row model (rows fetched by page)."""
    options: dict[str, Any] = {
        "pagination": True,
        "paginationPageSize": page_size,
        "paginationPageSizeSelector": [20, 50, 100],
        "localeText": LOCALE_ZH,
        "animateRows": False,
        "enableCellTextSelection": True,
        "suppressMenuHide": True,
    }
    kwargs: dict[str, Any] = {}
    if server_side:
        options.update(cacheBlockSize=page_size, maxBlocksInCache=5, rowBuffer=0)
        kwargs["rowModelType"] = "infinite"
    return dag.AgGrid(
        id=grid_id,
        columnDefs=columns,
        rowData=[] if not server_side else None,
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True, "flex": 1,
                       "minWidth": 100},
        dashGridOptions=options,
        style={"height": f"{height}px", "width": "100%"},
        className="ag-theme-alpine",
        **kwargs,
        **extra,
    )
