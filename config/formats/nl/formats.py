# "dinsdag 14 oktober 2027 om 18.30 uur"
DATE_FORMAT = "l j F Y"
TIME_FORMAT = r"G.i \u\u\r"
DATETIME_FORMAT = r"l j F Y \o\m G.i \u\u\r"
