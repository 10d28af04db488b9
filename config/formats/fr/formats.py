# "mardi 14 octobre 2027 à 18 h 30", as the city writes dates.
DATE_FORMAT = "l j F Y"
TIME_FORMAT = r"G \h i"
DATETIME_FORMAT = r"l j F Y \à G \h i"
