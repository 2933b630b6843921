"""The framework floor: a Dash app whose one callback returns a small go.Figure from a 100-row frame.

Served by gunicorn beside the dashboard in bench/pages.py, so page callbacks are compared with what Dash itself
costs on this machine in the same run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

app = Dash(__name__)
app.layout = html.Div([dcc.Input(id="n", value=1), dcc.Graph(id="figure")])
FRAME = pd.DataFrame({"x": np.arange(100), "y": np.random.default_rng(0).normal(size=100)})


@app.callback(Output("figure", "figure"), Input("n", "value"))
def small_figure(n: int) -> go.Figure:
    return go.Figure(go.Bar(x=FRAME["x"], y=FRAME["y"] * (n or 1)), layout={"title": {"text": "floor"}})


server = app.server

FLOOR_BODY = {
    "output": "figure.figure",
    "outputs": {"id": "figure", "property": "figure"},
    "inputs": [{"id": "n", "property": "value", "value": 1}],
    "changedPropIds": ["n.value"],
    "state": [],
}
