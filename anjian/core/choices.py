from django.db import models


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "地级"
    COUNTY = "county", "县级"


class JurisdictionKind(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区（市、县）"
    ZONE = "zone", "功能区"
