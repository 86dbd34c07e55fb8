# "20 iyun 2023 11:52": month names in lower case, as Azerbaijani writes them
# in dates (locale/az gives the "alt. month" names that E prints).
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
