"""Every figure builder's output drawn by plotly.js in headless Chromium, in chart cards as wide as the pages give
them: the margins the builders set already fit the labels, so plotly.js draws each figure once (a margin too small
for its labels is grown by the template's automargin, which costs a second full drawing of the figure)."""

from __future__ import annotations

import contextlib

import dash_bootstrap_components as dbc
import pytest
from dash import Dash, dcc, html
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from bench.figures import cases
from tests.browser import serve
from ui import figures, figures_assessment, figures_lists, figures_model
from ui.components import GRAPH_CONFIG

CASES = cases(figures, figures_lists, figures_model, figures_assessment)

_MARGINS_JS = """
return Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => {
  const f = g._fullLayout; if (!f) return null;
  return [g.closest('[id^="case-"]').id.slice(5), [f.margin.l, f.margin.r, f.margin.t, f.margin.b],
          [f._size.l, f._size.r, f._size.t, f._size.b].map(Math.round)];
});"""


@pytest.mark.parametrize("width", [5, 7, 12])
def test_figures101_builders_set_margins_that_fit_their_labels(dash_duo, width):
    app = Dash(__name__, assets_folder="../assets")
    cards = [dbc.Col(html.Div(dcc.Graph(figure=build(), config=GRAPH_CONFIG), id=f"case-{name}"), lg=width)
             for name, build in CASES]
    app.layout = dbc.Container(dbc.Row(cards), fluid=True)
    base = serve(dash_duo, app)
    driver = dash_duo.driver
    driver.set_window_size(1500, 1200)
    driver.get(base)
    WebDriverWait(driver, 60).until(
        lambda d: len([row for row in d.execute_script(_MARGINS_JS) if row]) == len(CASES))

    def grown() -> list:
        return [(name, wanted, used) for name, wanted, used in driver.execute_script(_MARGINS_JS) if used != wanted]

    # A figure whose margin plotly.js grows stays grown; waiting a moment only lets a redraw in progress finish.
    with contextlib.suppress(TimeoutException):
        WebDriverWait(driver, 10).until(lambda _d: not grown())
    drawn = driver.execute_script(_MARGINS_JS)
    still_grown = grown()
    assert not still_grown, (f"{len(still_grown)} of {len(drawn)} figures grew a margin (name, set l r t b, "
                             f"drawn): {still_grown}")
    assert not [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
