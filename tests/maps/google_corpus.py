"""Query strings in the shapes Google Static Maps documented, written for these tests (not
copied from anywhere): every parameter, the sloppy spellings Google tolerated, and place names.

``RENDERS`` should all draw; ``REFUSED`` are the shapes still refused, each with the parameter
named in the 422 and the reason (see the README's compatibility notes).
"""

from __future__ import annotations

KEY = "key=AIzaSyD-not-a-real-key-0123456789abcd"

RENDERS: tuple[str, ...] = (
    # -- centre, zoom, size -----------------------------------------------------------
    "center=40.714728,-73.998672&zoom=12&size=400x400",
    "center=40.714728,-73.998672&zoom=12&size=400x400&" + KEY,
    "center=51.477222,0&zoom=14&size=400x400&sensor=false",
    "center=-33.8688,151.2093&zoom=10&size=600x300&sensor=true&" + KEY,
    "center=35.6895,139.6917&zoom=9&size=500x300&visual_refresh=true",
    "center=48.858093,2.294694&zoom=16&size=320x240&language=fr&region=FR",
    "center=0,0&zoom=1&size=640x320",
    "center=0,0&zoom=0&size=256x256",
    "center=64.1355,-21.8954&zoom=5&size=300x300&client=gme-example&channel=intranet&signature=abcDEF123_-=",
    "center=45,-120&zoom=3&size=200x100&autoscale=2&map_id=8e0a97af9386fef",
    # -- place names ------------------------------------------------------------------
    "center=Brooklyn+Bridge,New+York,NY&zoom=13&size=600x300&maptype=roadmap",
    "center=Berkeley,CA&zoom=14&size=400x400",
    "center=Chicago,IL&zoom=10&size=300x300",
    "center=Paris,France&zoom=11&size=300x200",
    "center=Paris,TX&zoom=11&size=300x200",
    "center=Toronto&zoom=9&size=300x200",
    "center=S%C3%A3o+Paulo&zoom=9&size=300x200",
    "center=Z%C3%BCrich&zoom=11&size=300x200",
    "center=Zurich,Switzerland&zoom=11&size=300x200",
    "center=Albany,+NY&zoom=13&scale=2&size=300x150&maptype=roadmap&format=png&" + KEY,
    "center=Williamsburg,Brooklyn,NY&zoom=13&size=400x400",
    "center=Texas&zoom=5&size=300x300",
    "center=Australia&zoom=3&size=300x300",
    "center=London,UK&zoom=10&size=300x200",
    "center=London,Ontario&zoom=10&size=300x200",
    "center=Canberra+ACT&zoom=10&size=300x200",
    "center=New+York,NY+10001&zoom=12&size=300x200",
    "center=Golden+Gate+Bridge,San+Francisco,CA&zoom=13&size=300x200",
    # -- map types --------------------------------------------------------------------
    "center=40.714728,-73.998672&zoom=12&size=400x400&maptype=roadmap",
    "center=40.714728,-73.998672&zoom=12&size=400x400&maptype=satellite",
    "center=40.714728,-73.998672&zoom=12&size=400x400&maptype=terrain",
    "center=40.714728,-73.998672&zoom=12&size=400x400&maptype=hybrid",
    "center=36.1069,-112.1129&zoom=10&size=300x200&maptype=terrain&" + KEY,
    "center=Seattle,WA&zoom=11&size=300x200&maptype=satellite&sensor=false",
    # -- markers ----------------------------------------------------------------------
    "size=400x300&markers=40.702147,-74.015794",
    "size=400x300&markers=color:blue|label:S|40.702147,-74.015794",
    "size=400x300&markers=color:blue%7Clabel:S%7C40.702147,-74.015794",
    "center=40.71,-74.0&zoom=13&size=600x300&markers=color:blue|label:S|40.702147,-74.015794"
    "&markers=color:green|label:G|40.711614,-74.012318&markers=color:red|label:C|40.718217,-73.998284",
    "size=400x300&markers=color:0xFFFF00|label:Y|51.5,-0.12",
    "size=400x300&markers=color:0xFF000080|size:mid|51.5,-0.12",
    "size=400x300&markers=size:tiny|color:green|48.85,2.35|52.52,13.40",
    "size=400x300&markers=size:small|color:purple|48.85,2.35",
    "size=400x300&markers=size:mid|color:orange|label:3|48.85,2.35",
    "size=400x300&markers=size:normal|color:gray|label:Z|48.85,2.35",
    "size=400x300&markers=color:black|label:a|48.85,2.35",
    "size=400x300&markers=color:brown|label:|48.85,2.35",
    "size=400x300&markers=color:white|48.85,2.35&markers=color:yellow|41.9,12.5",
    "size=400x300&markers=Chicago,IL|Toronto",
    "size=512x512&markers=size:mid|color:red|San+Francisco,CA|Oakland,CA|San+Jose,CA",
    "size=400x300&markers=color:red|label:B|Boston,MA&markers=color:blue|label:N|New+York,NY",
    "size=400x300&markers=Tokyo|Osaka|Seoul&" + KEY,
    "center=Tok,AK&zoom=4&size=400x300&markers=size:tiny|color:green|Tok,AK",
    "size=400x300&markers=color:red|label:M|Melbourne+VIC&markers=color:blue|label:S|Sydney+NSW",
    "size=400x300&markers=color:red|label:P|Paris&markers=color:blue|label:T|Paris,TX",
    "center=48.85,2.35&zoom=5&size=300x200&markers=",
    # -- paths and polygons -----------------------------------------------------------
    "size=400x400&path=color:0x0000ff|weight:5|40.737102,-73.990318|40.749825,-73.987963"
    "|40.752946,-73.987384|40.755823,-73.986397",
    "size=400x400&path=color:0x0000ff80|weight:1|40.737102,-73.990318|40.749825,-73.987963",
    "size=400x400&path=color:red|weight:3|geodesic:true|40.6413,-73.7781|51.4700,-0.4543",
    "size=400x400&path=color:0x00000000|weight:5|fillcolor:0xFFFF0033|40.737102,-73.990318"
    "|40.749825,-73.987963|40.752946,-73.987384|40.755823,-73.986397",
    "size=400x400&path=weight:3|color:orange|enc:_p~iF~ps|U_ulLnnqC_mqNvxq`@",
    "size=400x400&path=fillcolor:0xAA000033|color:0xFFFFFF00|enc:_p~iF~ps|U_ulLnnqC_mqNvxq`@",
    "size=400x400&path=color:0x0000ff|weight:5|Boston,MA|New+York,NY|Philadelphia,PA|Washington,DC",
    "size=400x400&path=color:0x00000000|weight:5|fillcolor:0xFFFF0033|8th+Avenue+%26+34th+St,New+York,NY"
    "|8th+Avenue+%26+42nd+St,New+York,NY|Park+Ave+%26+42nd+St,New+York,NY|Park+Ave+%26+34th+St,New+York,NY",
    "center=48.85,2.35&zoom=6&size=300x200&path=color:blue|48.85,2.35",
    "center=48.85,2.35&zoom=6&size=300x200&path=48.85,2.35|",
    "size=300x200&path=color:red|weight:4|48.85,2.35|50.85,4.35|&path=color:blue|50.85,4.35|52.37,4.9",
    "size=300x200&path=geodesic:true|color:0xff0000ff|weight:2|-33.9,151.2|34.05,-118.24",
    # -- visible ----------------------------------------------------------------------
    "size=400x300&visible=Toronto|Montreal",
    "size=400x300&visible=40.7,-74.0|34.05,-118.24",
    "size=400x300&visible=59.9,10.75|60.17,24.94|59.33,18.07&markers=59.9,10.75",
    "center=Boston,MA&size=400x300&visible=Cambridge,MA",
    # -- styles -----------------------------------------------------------------------
    "center=40.7,-74.0&zoom=9&size=300x200&style=feature:water|element:geometry|color:0x1d2c4d",
    "center=40.7,-74.0&zoom=9&size=300x200&style=element:geometry|color:0x242f3e"
    "&style=element:labels.text.fill|color:0x746855&style=feature:water|element:geometry|color:0x17263c",
    "center=Brooklyn&zoom=12&size=300x200&style=feature:road.local|element:geometry|color:0x00ff00"
    "&style=feature:landscape|element:geometry.fill|color:0x000000&style=element:labels|invert_lightness:true"
    "&style=feature:road.arterial|element:labels|invert_lightness:false",
    "center=50,10&zoom=4&size=300x200&style=feature:administrative|element:geometry.stroke|color:0xff0000|weight:2",
    "center=50,10&zoom=4&size=300x200&style=feature:poi|visibility:off",
    "center=50,10&zoom=4&size=300x200&style=feature:all|element:labels|visibility:off",
    "center=50,10&zoom=4&size=300x200&style=feature:landscape|saturation:-100|lightness:50",
    "center=50,10&zoom=4&size=300x200&style=feature:water|hue:0x0000ff|gamma:0.5&style=feature:road|visibility:simplified",
    # -- formats and scale ------------------------------------------------------------
    "center=40.714728,-73.998672&zoom=12&size=200x200&format=png8",
    "center=40.714728,-73.998672&zoom=12&size=200x200&format=png32",
    "center=40.714728,-73.998672&zoom=12&size=200x200&format=gif",
    "center=40.714728,-73.998672&zoom=12&size=200x200&format=jpg",
    "center=40.714728,-73.998672&zoom=12&size=200x200&format=jpg-baseline",
    "center=40.714728,-73.998672&zoom=12&size=200x200&format=png",
    "center=40.714728,-73.998672&zoom=12&size=200x150&scale=2",
    "center=40.714728,-73.998672&zoom=12&size=100x100&scale=4",
    "center=40.714728,-73.998672&zoom=12&size=200x150&scale=1&format=jpg",
    # -- custom icons (replaced by the default pin unless the server allows the host) ----
    "size=400x300&markers=icon:https://icons.example.org/pin.png|48.85,2.35",
    "size=400x300&markers=anchor:32,10|icon:https://icons.example.org/flag.png|Canberra+ACT"
    "&markers=anchor:topleft|icon:http://icons.example.org/star.png|Melbourne+VIC",
    "size=400x300&markers=scale:2|icon:https://icons.example.org/pin@2x.png|anchor:bottom|51.5,-0.12",
    # -- sloppy syntax Google tolerated ------------------------------------------------
    "center=40.714,%20-73.998&zoom=12&size=300x200",
    "center=40.714+,+-73.998&zoom=12&size=300x200",
    "center=40.71427000000001,-73.99859619140625&zoom=12&size=300x200",
    "size=300x200&markers=color:red||40.714,-73.998||",
    "size=300x200&markers=|color:red|40.714,-73.998|40.72,-73.99|",
    "size=300x200&markers=color:red|label:x|40.714,+-73.998",
    "size=300x200&visible=40.7,-74.0||34.05,-118.24|",
    "center=40.714728,-73.998672&zoom=12&size=300x200&utm_source=newsletter&foo=bar",
    "center=40.714728,-73.998672&zoom=12&size=300x200&key=&sensor=",
    # -- deep zooms -------------------------------------------------------------------
    "center=40.714728,-73.998672&zoom=20&size=200x200",
    "center=40.714728,-73.998672&zoom=21&size=200x200",
    "center=40.714728,-73.998672&zoom=22&size=200x200&" + KEY,
)

# Still refused: (query, parameter named in the 422, why).
REFUSED: tuple[tuple[str, str, str], ...] = (
    (
        "center=Williamsburg,Brooklyn,NY&zoom=13&size=400x400&markers=color:blue|label:S|11211|11206|11222",
        "markers",
        "postal codes: the offline gazetteer has no postal codes",
    ),
    (
        "center=Gotham+City&zoom=12&size=300x200",
        "center",
        "a name no gazetteer entry has (countries, US states, cities over 15,000 people)",
    ),
    (
        "size=400x300&markers=Eiffel+Tower",
        "markers",
        "a landmark on its own: no part of it is a known place (with a city after it, the city is used)",
    ),
    (
        "size=400x300&markers=icon:https://a.example/1.png|1,1&markers=icon:https://a.example/2.png|1,2"
        "&markers=icon:https://a.example/3.png|1,3&markers=icon:https://a.example/4.png|1,4"
        "&markers=icon:https://a.example/5.png|1,5&markers=icon:https://a.example/6.png|1,6",
        "markers",
        "more than 5 distinct custom icons (Google's limit too)",
    ),
)
