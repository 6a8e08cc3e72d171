"""A reference image per Google chart type and per main styling parameter
(tests/baselines/gchart_*.png). The URLs follow the examples of Google's chart gallery.

Regenerate with ``pytest tests/gchart --update-baselines`` and look at every image.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

SIZE = "320x200"
CASES: dict[str, str] = {
    # Bars: the gallery's three series of 5, 10 and 15, grouped, stacked and overlapped.
    "bvg": f"cht=bvg&chs={SIZE}&chd=t:5,5,5|10,10,10|15,15,15&chco=4D89F9,C6D9FD,00B88A&chxt=x,y&chds=0,40&chxr=1,0,40",
    "bvs": f"cht=bvs&chs={SIZE}&chd=t:5,5,5|10,10,10|15,15,15&chco=4D89F9,C6D9FD,00B88A&chxt=x,y&chds=0,40&chxr=1,0,40",
    "bvo": f"cht=bvo&chs={SIZE}&chd=t:5,5,5|10,10,10|15,15,15&chco=4D89F9,C6D9FD,00B88A&chxt=x,y&chds=0,20&chxr=1,0,20",
    "bhs": f"cht=bhs&chs={SIZE}&chco=4D89F9,C6D9FD&chd=t:10,50,60,80,40|50,60,100,40,20&chds=0,160&chxt=x,y&chxr=0,0,160&chxl=1:|e|d|c|b|a",
    "bhg": f"cht=bhg&chs={SIZE}&chco=4D89F9,C6D9FD&chd=t:10,50,60,80,40|50,60,100,40,20&chxt=x",
    # Lines: the gallery's yellow line, without default axes, a sparkline and x,y pairs.
    "lc": f"cht=lc&chs={SIZE}&chd=t:40,60,60,45,47,75,70,72&chxt=x,y",
    "lc_nda": f"cht=lc:nda&chs={SIZE}&chd=t:40,60,60,45,47,75,70,72",
    "ls": "cht=ls&chs=160x40&chco=0077CC&chd=t:27,25,60,31,25,39,25,31,26,28,80,28,27,31,27,29,26,35,70,25",
    "lxy": f"cht=lxy&chs={SIZE}&chd=t:10,20,40,80,90,95,99|20,30,40,50,60,70,80|-1|5,10,22,35,85"
    "&chco=3072F3,FF0000&chdl=Ponies|Unicorns&chdlp=b&chxt=x,y&chm=o,3072F3,0,-1,6|d,FF0000,1,-1,8",
    # Pies: flat, "3D" (drawn flat) and concentric rings.
    "p": "cht=p&chs=250x100&chd=t:60,40&chl=Hello|World",
    "p3": "cht=p3&chs=250x100&chd=t:60,40&chl=Hello|World&chco=0000FF",
    "pc": "cht=pc&chs=250x160&chd=t:10,20,30|40,50,60&chco=FF0000|00FF00|0000FF,FFFF00|FF00FF|00FFFF&chl=a|b|c|d|e|f",
    # Slice labels beside the slices with a legend beside them (chl with chdl), and many labels.
    "pie_labels_legend": "cht=p&chs=360x160&chd=t:55,30,10,5&chl=55%|30%|10%|5%&chdl=Rent|Food|Travel|Other"
    "&chco=3366CC|DC3912|FF9900|109618&chtt=Budget",
    "pie_many_labels": "cht=p&chs=400x200&chd=t:30,20,15,10,8,6,5,3,2,1"
    "&chl=January|February|March|April|May|June|July|August|September|October+is+long",
    # Scatter: x, y and point sizes.
    "s": f"cht=s&chs={SIZE}&chd=t:12,87,75,41,23,96,68,71,34,9|98,60,27,34,56,79,58,74,18,76|84,23,69,81,47,94,60,93,64,54"
    "&chxt=x,y&chco=FF0000",
    # Without chco or point sizes: Google's blue circles, 10 px across.
    "s_default": f"cht=s&chs={SIZE}&chd=t:10,30,55,80,20,65|40,90,20,65,70,35&chxt=x,y",
    # A progress bar smaller than its stated bar and gaps, and a range band at the very top.
    "progress_bar": "cht=bhs&chs=200x30&chd=t:70&chbh=20&chco=4D89F9&chm=r,FF0000,0,0.998,1.0",
    # Radar: straight and (drawn straight) spline lines, first point repeated to close the shape.
    "r": "cht=r&chs=240x240&chd=t:77,66,15,0,31,48,100,77|20,36,100,2,0,100,50,20&chco=FF0000,FF9900&chls=2|2"
    "&chxt=x&chxl=0:|0|45|90|135|180|225|270|315&chm=B,FF000030,0,0,0",
    "rs": "cht=rs&chs=240x240&chd=t:10,20,30,40,50,60,70,80,90&chco=FF00FF&chxt=x,y&chxl=0:|a|b|c|d|e|f|g|h",
    # Radar ranges: a ring between two radii (r) and a sector between two angles (R).
    "radar_ranges": "cht=r&chs=240x240&chd=t:70,40,90,55,80,30&chco=3366CC&chxt=x&chxl=0:|a|b|c|d|e|f"
    "&chm=r,FFCC0080,0,0.4,0.6|R,33AA3340,0,0.0,0.25&chdl=Scores",
    # Google-o-meter: a label on one arrow over a rainbow dial.
    "gom": "cht=gom&chs=250x150&chd=t:70&chl=Hello&chco=FF0000,FF8040,FFFF00,00FF00,00FFFF,0000FF,800080",
    "qr": "cht=qr&chs=150x150&chl=Hello+world&chld=M|2",
    "v": "cht=v&chs=250x160&chd=t:100,80,60,30,30,30,10&chdl=A|B|C&chco=FF6342,ADDE63,63C6DE",
    # Styling.
    "title_legend": f"cht=lc&chs={SIZE}&chd=t:10,30,20|20,10,40&chco=FF0000,0000FF&chtt=Site+visitors|by+week"
    "&chts=AA0033,18,l&chdl=This+week|Last+week&chdlp=t",
    "axes": f"cht=lc&chs={SIZE}&chd=t:30,50,40,70,60&chxt=x,x,y,r&chxl=0:|Mon|Tue|Wed|Thu|Fri|1:|week+12|3:|min|avg|max"
    "&chxp=3,10,45,90&chxr=2,0,500,100&chxs=0,0000DD,13,0,lt|2N*f0*+EUR,007700,11,1,l&chma=0,0,10,0",
    "fills_grid": f"cht=lc&chs={SIZE}&chd=t:20,45,30,80,60&chf=bg,s,EFEFEF|c,s,FFFFFF&chg=25,20,6,3&chma=30,30,20,20"
    "&chxt=y",
    "markers": f"cht=lc&chs={SIZE}&chd=t1:10,40,30,70,50|5,20,15,25,35&chco=3366CC&chxt=y"
    "&chm=N*f0*,000000,0,-1,11|o,FF0000,0,-1,8|s,00AA00,1,-1,7|B,3366CC30,0,0,0|h,999999,0,0.5,1|r,FFEE0060,0,0.8,0.9",
    "fill_between": f"cht=lc&chs={SIZE}&chd=t:100,100|67,39,78,62|37,17,48,22|0,0&chco=00000000,996633,663300,00000000"
    "&chm=b,EEE8AA,0,1,0|b,F0E68C,1,2,0|b,DAA520,2,3,0",
    "line_styles": f"cht=lc&chs={SIZE}&chd=t:20,30,40|40,50,60|60,70,80&chco=FF0000,00AA00,0000FF&chls=1|3,6,3|5,2,4",
    "bar_widths": f"cht=bvg&chs={SIZE}&chd=t:30,60,45|20,35,50&chco=FF0000|00AA00|0000FF,999999&chbh=20,4,30"
    "&chxt=x&chxl=0:|one|two|three&chm=N,000000,-1,,10",
    "shapes": f"cht=lc&chs={SIZE}&chd=t:20,60,40,80,50&chco=999999&chm=v,FF0000,0,1,2|V,00AA00,0,3,1"
    "|c,0000FF,0,0,12|x,FF00FF,0,2,12|d,FF9900,0,1.5,10|s,000000,0,4,9,-1|R,DDEEFF,0,0.1,0.3|tpeak,333333,0,3,12",
    "horizontal_values": f"cht=bhg&chs={SIZE}&chd=t:20,60,40|50,10,30&chco=76A4FB,FF9900&chm=N*f0*%,000000,-1,,11"
    "&chxt=y&chxl=0:|c|b|a",
    "encodings": f"cht=lc&chs={SIZE}&chd=s:BTb19_,Mn5tzb&chco=FF0000,0000FF&chxt=y&chxr=0,0,61",
    # Formulas, and maps old (t) and new (map): more in tests/gchart/test_families.py.
    "tx": "cht=tx&chl=x%3D%5Cfrac%7B-b%5Cpm%5Csqrt%7Bb%5E2-4ac%7D%7D%7B2a%7D",
    "t": "cht=t&chs=440x220&chtm=africa&chld=NGKEZAEG&chd=t:20,60,100,40&chco=FFFFFF,EDF0D4,13390A&chf=bg,s,EAF7FE",
    "map": "cht=map&chs=400x300&chld=ES|PT|FR&chco=CCCCCC|FF6600|33AA33|3366CC",
    "extended_negative": f"cht=bvg&chs={SIZE}&chd=t:30,-60,50,120,80,-90&chds=-80,140&chco=76A4FB&chxt=y&chxr=0,-80,140",
}


@pytest.mark.parametrize("name", list(CASES))
def test_baseline(name: str, client: Any, baseline: Callable[[str, bytes], None]) -> None:
    response = client.get("/chart?" + CASES[name])
    assert response.status_code == 200, response.json
    assert response.mimetype == "image/png"
    baseline(f"gchart_{name}", response.data)


def test_every_chart_type_has_a_baseline() -> None:
    from api.gchart.params import CHART_TYPES

    assert {t.replace(":", "_") for t in CHART_TYPES} <= set(CASES)
