"""/chart render speed per Google chart type at 640x480: spec -> encoded PNG, uncached.

    python -m bench.gchart [--rounds N]

Each type's gallery-style URL (and a 200-point ``rs`` radar, once the slowest real URL) is
parsed once, then rendered round by round, interleaved so machine noise hits every type
alike; the table gives the minimum and the median (target: under 60 ms each on an idle core).
"""

from __future__ import annotations

import argparse
import functools
import statistics
from urllib.parse import parse_qsl

from bench.common import Row, machine, print_rows, timed

TARGET_MS = 60.0
SIZE = "640x480"
RADAR_POINTS = ",".join(str((i * 37) % 100) for i in range(200))
URLS = {
    "bvg": f"cht=bvg&chs={SIZE}&chd=t:5,5,5|10,10,10|15,15,15&chxt=x,y&chdl=a|b|c",
    "bhs": f"cht=bhs&chs={SIZE}&chd=t:10,50,60,80,40|50,60,100,40,20&chxt=x,y",
    "lc": f"cht=lc&chs={SIZE}&chd=t:40,60,60,45,47,75,70,72&chxt=x,y&chtt=Visits",
    "ls": f"cht=ls&chs={SIZE}&chd=t:27,25,60,31,25,39,25,31,26,28,80,28",
    "lxy": f"cht=lxy&chs={SIZE}&chd=t:10,20,40,80,90,95,99|20,30,40,50,60,70,80|-1|5,10,22,35,85"
    "&chm=s,000000,0,-1,5|s,000000,1,-1,5&chdl=Ponies|Unicorns",
    "p": f"cht=p&chs={SIZE}&chd=t:30,20,15,10,8,6,5,3,2,1&chl=a|b|c|d|e|f|g|h|i|j",
    "p3": f"cht=p3&chs={SIZE}&chd=t:30,20,15,10,25&chl=a|b|c|d|e",
    "lc box chart": f"cht=lc&chs={SIZE}&chd=t0:-1,5,10,7,12,-1|-1,25,30,27,24,-1|-1,40,45,47,39,-1"
    "|-1,55,63,59,80,-1|-1,30,40,35,30,-1&chm=F,FF9900,0,1:4,40|H,0CBF0B,0,1:4,1:20|H,000000,4,1:4,1:40",
    "pc": f"cht=pc&chs={SIZE}&chd=t:10,20,30|40,50,60&chl=a|b|c|d|e|f",
    "s": f"cht=s&chs={SIZE}&chd=t:12,87,75,41,23,96,68,71,34,9|98,60,27,34,56,79,58,74,18,76&chxt=x,y",
    "r": f"cht=r&chs={SIZE}&chd=t:77,66,15,0,31,48,100,77&chxt=x&chxl=0:|0|45|90|135|180|225|270|315"
    "&chm=r,FFCC0080,0,0.4,0.6|R,33AA3340,0,0.0,0.25",
    "rs": f"cht=rs&chs={SIZE}&chd=t:10,20,30,40,50,60,70,80,90&chxt=x,y&chxl=0:|a|b|c|d|e|f|g|h",
    "rs 200 points": f"cht=rs&chs={SIZE}&chd=t:{RADAR_POINTS}&chxt=y",
    "gom": f"cht=gom&chs={SIZE}&chd=t:70&chl=Hello",
    "qr": f"cht=qr&chs={SIZE}&chl=Hello+world",
    "v": f"cht=v&chs={SIZE}&chd=t:100,80,60,30,30,30,10&chdl=A|B|C",
}


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args(argv).rounds
    from api.charts.render import render_chart
    from api.gchart.schema import build_schema
    from api.settings import Limits

    schema = build_schema(Limits())()
    specs = {name: schema.load(dict(parse_qsl(url))).spec for name, url in URLS.items()}
    for spec in specs.values():
        render_chart(spec)  # imports, fonts and text tables warm
    samples: dict[str, list[float]] = {name: [] for name in specs}
    renders = {name: functools.partial(render_chart, spec) for name, spec in specs.items()}
    for _ in range(rounds):
        for name, render in renders.items():
            samples[name].append(timed(render) * 1000)
    rows = [
        Row(
            f"/chart cht={name} at {SIZE}, min / median",
            f"< {TARGET_MS:g} ms",
            f"{min(times):.1f} / {statistics.median(times):.1f} ms",
            min(times) < TARGET_MS,
        )
        for name, times in samples.items()
    ]
    print(machine())
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
