# "20 июня 2023 11:52": the genitive month name (E), without Django's "г.".
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
