# "Tuesday 14 October 2027 at 18:30"
DATE_FORMAT = "l j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"l j F Y \a\t H:i"
